"""The coverage gate: every alert is shown firing by some test and quiet by another, or says why not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compiler.dsl.rules import Alert
from compiler.model.test_links import ModuleTests
from compiler.problems import Problem
from compiler.verify.unit_tests import TestOutcome


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


def alert_coverage(modules: Iterable[ModuleTests]) -> list[AlertCoverage]:
    return [
        AlertCoverage(alert, id(alert) in tests.shown_firing, id(alert) in tests.shown_quiet)
        for tests in modules
        for group in tests.module.groups
        for alert in group.alerts
    ]


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


def coverage_report(coverage: list[AlertCoverage], outcomes: list[TestOutcome]) -> list[str]:
    """The per-alert table, ending with the one summary line CI logs are read for."""
    width = max((len(entry.alert.name) for entry in coverage), default=0)
    lines = [f"  {entry.alert.name:<{width}}  {entry.describe()}   {entry.alert.location}" for entry in coverage]
    fully = sum(entry.fully_tested for entry in coverage)
    exempt = sum(entry.exempt and not entry.fully_tested for entry in coverage)
    percent = 100 * fully // len(coverage) if coverage else 100
    passed = sum(outcome.passed for outcome in outcomes)
    lines.append(
        f"alerts: {len(coverage)}, fully tested: {fully} ({percent}%), exempt: {exempt}; "
        f"tests: {passed} passed, {len(outcomes) - passed} failed"
    )
    return lines
