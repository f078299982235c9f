"""One verdict per test across every engine and phase it ran at: the problem lines, and whether it proves anything.

A test proves something only if it passed on every engine, on the sample grid and with the rules evaluated off
it (`phases.py`). When engines disagree, the test is reported once at its source line with both results, so the
difference between Prometheus 2 and 3 shows up where it is fixed, not as two unrelated failures. A test that
fails on the grid is reported as such, once; one that holds only on the grid is told which of its expectations
the phase changes (`phase_failures.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compiler.dsl.durations import format_duration
from compiler.model.test_links import LinkedTest
from compiler.problems import Problem
from compiler.verify.phase_failures import phase_problems
from compiler.verify.unit_tests import TestOutcome


@dataclass(frozen=True)
class TestVerdict:
    """One test's outcomes on the sample grid, one per engine in the order the engines are configured, and
    those of its phase-shifted copies (none when it has no alert check to shift)."""

    test: LinkedTest
    outcomes: tuple[TestOutcome, ...]
    shifted: tuple[TestOutcome, ...] = ()

    @property
    def passed_on_grid(self) -> bool:
        return all(outcome.passed for outcome in self.outcomes)

    @property
    def passed(self) -> bool:
        """Passed on every engine, on the grid and at every phase."""
        return self.passed_on_grid and all(outcome.passed for outcome in self.shifted)

    @property
    def phase_robust(self) -> bool:
        """Passed, and its alert checks were shown to hold off the sample grid too."""
        return self.passed and bool(self.shifted)

    def problems(self) -> list[Problem]:
        """One line per distinct failure on the grid, naming the engines that said it (and those that passed);
        if it holds on the grid, one line per expectation a phase changes."""
        if self.passed_on_grid:
            return phase_problems(self.test, self.shifted)
        passed = [outcome.engine.name for outcome in self.outcomes if outcome.passed]
        said: dict[str, list[str]] = {}
        for outcome in self.outcomes:
            for failure in outcome.failures:
                said.setdefault(failure, []).append(outcome.engine.name)
        passes = f"passes on {', '.join(passed)}, " if passed else ""
        test = self.test.test
        return [
            Problem(f'test "{test.name}" {passes}fails on {", ".join(engines)}: {failure}', test.location)
            for failure, engines in said.items()
        ]


def verdicts(outcomes_per_engine: Iterable[Iterable[TestOutcome]]) -> list[TestVerdict]:
    """Group each engine's outcomes (on the grid and shifted) by test, in the order the tests are declared."""
    on_grid: dict[int, list[TestOutcome]] = {}
    shifted: dict[int, list[TestOutcome]] = {}
    for outcomes in outcomes_per_engine:
        for outcome in outcomes:
            (on_grid if outcome.phase is None else shifted).setdefault(id(outcome.test), []).append(outcome)
    return [
        TestVerdict(outcomes[0].test, tuple(outcomes), tuple(shifted.get(key, ()))) for key, outcomes in on_grid.items()
    ]


def phase_summary(results: Iterable[TestVerdict]) -> str:
    """How many tests were also proven phase-robust, how many hold only on the sample grid, how many were not
    shifted (tests that fail on the grid are counted by the coverage line, not here)."""
    results = list(results)
    robust = sum(verdict.phase_robust for verdict in results)
    grid_only = sum(verdict.passed_on_grid and not verdict.passed for verdict in results)
    unshifted = sum(verdict.passed_on_grid and not verdict.shifted for verdict in results)
    phases = sorted({outcome.phase.after for verdict in results for outcome in verdict.shifted if outcome.phase})
    at = " and ".join(format_duration(phase) for phase in phases)
    return (
        f"phases: {_tests(robust)} also proven phase-robust"
        + (f" (rules evaluated {at} after the samples)" if phases else "")
        + f", {_tests(grid_only, 'holds', 'hold')} only on the sample grid, {_tests(unshifted)} not shifted "
        "(checking only expressions, an alert that reads the clock, or native-histogram series)"
    )


def _tests(count: int, one: str = "", many: str = "") -> str:
    return f"{count} test {one}".rstrip() if count == 1 else f"{count} tests {many}".rstrip()
