"""The coverage gate: every alert is shown firing by some test and quiet by another, or says why not.

Only a test that passed on every engine shows anything: a firing test that fails is no proof it fires. That
includes its phase-shifted copies (`phases.py`): a test that holds only when rules are evaluated exactly on the
sample grid proves nothing about a real Prometheus, which evaluates at its own offset. A test whose checks could
not be shifted (an alert reading the clock) counts on the grid alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compiler.dsl.rules import Alert
from compiler.model.test_links import LinkedTest, ModuleTests
from compiler.problems import Problem
from compiler.verify.verdicts import TestVerdict


@dataclass(frozen=True)
class AlertCoverage:
    alert: Alert
    fires: bool
    quiet: bool

    @property
    def exempt(self) -> bool:
        return self.alert.untested is not None

    @property
    def fully_tested(self) -> bool:
        return self.fires and self.quiet

    def describe(self) -> str:
        if self.exempt and not self.fully_tested:
            return f"exempt: {self.alert.untested}"
        return f"fires: {'yes' if self.fires else 'NO '}  quiet: {'yes' if self.quiet else 'NO '}"


def alert_coverage(modules: Iterable[ModuleTests], verdicts: Iterable[TestVerdict]) -> list[AlertCoverage]:
    """Which alerts the tests that passed everywhere (every engine, every phase) show firing and quiet (as the
    test linker resolved them)."""
    proven = {id(verdict.test) for verdict in verdicts if verdict.passed}
    coverage = []
    for tests in modules:
        passing = [test for test in tests.tests if id(test) in proven]
        for group in tests.module.groups:
            for alert in group.alerts:
                fires = id(alert) in tests.shown_firing and any(_shows_firing(test, alert) for test in passing)
                quiet = id(alert) in tests.shown_quiet and any(_shows_quiet(test, alert) for test in passing)
                coverage.append(AlertCoverage(alert, fires, quiet))
    return coverage


def _shows_firing(test: LinkedTest, alert: Alert) -> bool:
    """An expected instance carries the rule's own labels (a templated one with the value it renders to)."""
    return any(
        check.alert == alert.name
        and any(
            all(labels.get(name) == value or "{{" in value for name, value in alert.labels.items())
            for labels, _ in check.instances
        )
        for check in test.alert_checks
    )


def _shows_quiet(test: LinkedTest, alert: Alert) -> bool:
    """promtool checks quiet by name: every rule of that name."""
    return any(check.alert == alert.name and not check.instances for check in test.alert_checks)


def coverage_problems(coverage: Iterable[AlertCoverage]) -> list[Problem]:
    problems = []
    for entry in coverage:
        if entry.fully_tested or entry.exempt:
            continue
        missing = " or ".join(what for what, shown in (("firing", entry.fires), ("quiet", entry.quiet)) if not shown)
        problems.append(
            Problem(
                f'{entry.alert.title}: no test shows it {missing}; add a RuleTest, or untested="why"',
                entry.alert.location,
            )
        )
    return problems


def coverage_report(coverage: list[AlertCoverage], verdicts: list[TestVerdict]) -> list[str]:
    """The per-alert table, ending with the one summary line CI logs are read for (a test passed when it
    passed on every engine, at every phase)."""
    width = max((len(entry.alert.name) for entry in coverage), default=0)
    lines = [f"  {entry.alert.name:<{width}}  {entry.describe()}   {entry.alert.location}" for entry in coverage]
    fully = sum(entry.fully_tested for entry in coverage)
    exempt = sum(entry.exempt and not entry.fully_tested for entry in coverage)
    percent = 100 * fully // len(coverage) if coverage else 100
    passed = sum(verdict.passed for verdict in verdicts)
    lines.append(
        f"alerts: {len(coverage)}, fully tested: {fully} ({percent}%), exempt: {exempt}; "
        f"tests: {passed} passed, {len(verdicts) - passed} failed"
    )
    return lines
