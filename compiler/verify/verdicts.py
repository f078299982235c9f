"""One verdict per test across every engine it ran on: the problem lines, and whether it proves anything.

A test proves something only if it passed on every engine. When engines disagree, the test is reported once
at its source line with both results, so the difference between Prometheus 2 and 3 shows up where it is
fixed, not as two unrelated failures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compiler.model.test_links import LinkedTest
from compiler.problems import Problem
from compiler.verify.unit_tests import TestOutcome


@dataclass(frozen=True)
class TestVerdict:
    """One test's outcomes, one per engine, in the order the engines are configured."""

    test: LinkedTest
    outcomes: tuple[TestOutcome, ...]

    @property
    def passed(self) -> bool:
        return all(outcome.passed for outcome in self.outcomes)

    def problems(self) -> list[Problem]:
        """One line per distinct failure, naming the engines that said it (and those that passed)."""
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
    """Group each engine's outcomes by test, in the order the tests are declared."""
    by_test: dict[int, list[TestOutcome]] = {}
    for outcomes in outcomes_per_engine:
        for outcome in outcomes:
            by_test.setdefault(id(outcome.test), []).append(outcome)
    return [TestVerdict(outcomes[0].test, tuple(outcomes)) for outcomes in by_test.values()]
