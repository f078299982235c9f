"""Link each module's tests to the rules they prove, rejecting tests that could pass without proving anything.

A promtool test that names a missing alert passes silently (`exp_alerts: []` holds for an alert that does not
exist), so every name a test uses must resolve here, at build time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import promql_parser

from compiler.dsl.durations import format_duration
from compiler.dsl.rule_tests import Evaluates, Expectation, Fires, Quiet, RuleTest
from compiler.dsl.rules import Alert, Record
from compiler.dsl.slo_annotations import LABEL_TEMPLATE
from compiler.load.rules import RuleModule
from compiler.model.engine_agreement import (
    Dependency,
    TestSamples,
    alert_dependency,
    engine_disagreement,
    hold_of,
)
from compiler.problems import Problem
from compiler.promql.parse import parse as parse_promql
from compiler.promql.window_edges import milliseconds


@dataclass(frozen=True)
class AlertCheck:
    """One `alert_rule_test` entry: the alert's expected instances at one time (none: it is quiet)."""

    alert: str
    at: timedelta
    instances: tuple[tuple[dict[str, str], dict[str, str]], ...]


@dataclass(frozen=True)
class ExpectedSample:
    """One of the samples an expression is expected to return."""

    labels: dict[str, str]
    value: float


@dataclass(frozen=True)
class ExprCheck:
    """One `promql_expr_test` entry: every sample the test's `Evaluates` expect of one expression at one time
    (promtool compares the whole result, so an expression returning two series needs both in one entry)."""

    expr: str
    at: timedelta
    samples: tuple[ExpectedSample, ...]


@dataclass(frozen=True)
class LinkedTest:
    """A test with every expectation resolved to concrete promtool assertions."""

    name: str
    test: RuleTest
    alert_checks: tuple[AlertCheck, ...]
    expr_checks: tuple[ExprCheck, ...]

    @property
    def native_histograms(self) -> bool:
        """Its input series hold native histograms, which only promtool 3 reads: it runs on Prometheus 3 alone."""
        return holds_native_histograms(self.test)


def holds_native_histograms(test: RuleTest) -> bool:
    return any(series.native is not None for series in test.series)


@dataclass
class ModuleTests:
    """The tests of one rule module, and which alerting rules they show firing and quiet (by object id:
    several rules may share an alert name, as an SLO's page and ticket alerts do)."""

    module: RuleModule
    reads: tuple[RuleModule, ...] = ()
    """The other modules whose records its rules read, defining modules first: its test file loads them too."""
    tests: list[LinkedTest] = field(default_factory=list)
    shown_firing: set[int] = field(default_factory=set)
    shown_quiet: set[int] = field(default_factory=set)


def link_tests(
    module: RuleModule, evaluation_interval: timedelta, reads: tuple[RuleModule, ...] = ()
) -> tuple[ModuleTests, list[Problem]]:
    """The module's tests resolved to promtool assertions, and every problem: a name that resolves to nothing,
    an expectation whose verdict could differ between Prometheus 2 and 3 (rules evaluated every
    `evaluation_interval`, as the emitted test files say). `reads` are the modules whose records the module's
    rules read: their records are loaded with the module's, so tests and the window rule follow them too."""
    alerts: dict[str, list[Alert]] = {}
    for group in module.groups:
        for alert in group.alerts:
            alerts.setdefault(alert.name, []).append(alert)
    records: dict[str, list[str]] = {}
    for loaded in (*reads, module):
        for group in loaded.groups:
            for record in group.records:
                records.setdefault(record.name, []).append(record.expr)
    linked = ModuleTests(module, reads)
    problems: list[Problem] = []
    first_by_name: dict[str, RuleTest] = {}
    for owner, subject, test in _declared_tests(module):
        name = f"{owner}: {test.name}"
        first = first_by_name.setdefault(name, test)
        if first is not test:
            problems.append(
                Problem(f'test "{test.name}": name used twice for {owner} (first at {first.location})', test.location)
            )
            continue
        linker = _Linker(test, subject, alerts, records, evaluation_interval)
        linked_test = linker.link(name)
        problems.extend(linker.problems)
        if not linker.problems:
            linked.tests.append(linked_test)
            linked.shown_firing.update(id(alert) for alert in linker.shown_firing)
            linked.shown_quiet.update(id(alert) for alert in linker.shown_quiet)
    return linked, problems


def _declared_tests(module: RuleModule) -> list[tuple[str, Alert | Record | None, RuleTest]]:
    """(owner name, the rule it is attached to or None for group tests, test) in declaration order."""
    found: list[tuple[str, Alert | Record | None, RuleTest]] = []
    for group in module.groups:
        for rule in group.rules:
            found.extend((rule.name, rule, test) for test in rule.tests)
        found.extend((group.name, None, test) for test in group.tests)
    return found


class _Linker:
    """Resolves one test's expectations; collects every problem rather than stopping at the first."""

    def __init__(
        self,
        test: RuleTest,
        subject: Alert | Record | None,
        alerts: dict[str, list[Alert]],
        records: dict[str, list[str]],
        evaluation_interval: timedelta,
    ):
        self.test = test
        self.evaluation_interval = evaluation_interval
        self.samples = TestSamples(test)
        self.subject = subject
        self.alerts = alerts
        self.records = records
        self.problems: list[Problem] = []
        self.shown_firing: list[Alert] = []
        self.shown_quiet: list[Alert] = []

    def fail(self, message: str) -> None:
        self.problems.append(Problem(f'test "{self.test.name}": {message}', self.test.location))

    def link(self, name: str) -> LinkedTest:
        alert_checks: dict[tuple[str, timedelta], list[tuple[dict[str, str], dict[str, str]]]] = {}
        expr_checks: dict[tuple[str, timedelta], list[ExpectedSample]] = {}
        for expectation in self.test.expect:
            if isinstance(expectation, Evaluates):
                checked = self._expr_check(expectation)
                if checked:
                    expr, sample = checked
                    samples = expr_checks.setdefault((expr, expectation.at), [])
                    if any(earlier.labels == sample.labels for earlier in samples):
                        at = format_duration(expectation.at)
                        self.fail(f"{expr} at {at}: the same series expected twice (promtool would want two)")
                    samples.append(sample)
                continue
            alerts = self._alerts_for(expectation)
            if not alerts:
                continue
            self._check_engines(
                expectation,
                [
                    alert_dependency(alert.expr, expectation.at, hold_of(alert), self.evaluation_interval)
                    for alert in alerts
                ],
            )
            instances = alert_checks.setdefault((alerts[0].name, expectation.at), [])
            if isinstance(expectation, Fires):
                instances.append(self._expected_instance(alerts[0], expectation))
                self.shown_firing.extend(alerts)
            elif instances:
                at = format_duration(expectation.at)
                self.fail(f"alert {alerts[0].name} at {at}: expected both firing and quiet")
            else:
                self.shown_quiet.extend(alerts)
        return LinkedTest(
            name,
            self.test,
            tuple(AlertCheck(alert, at, tuple(instances)) for (alert, at), instances in alert_checks.items()),
            tuple(ExprCheck(expr, at, tuple(samples)) for (expr, at), samples in expr_checks.items()),
        )

    def _alerts_for(self, expectation: Fires | Quiet) -> list[Alert]:
        """The rules an expectation is about: `Quiet` covers every rule of that name (promtool checks by
        name); `Fires` the one rule whose own labels the expected labels do not contradict."""
        if isinstance(self.subject, Alert) and expectation.alert in (None, self.subject.name):
            named = [self.subject] if isinstance(expectation, Fires) else self.alerts[self.subject.name]
            return named
        name = expectation.alert
        if name is None:
            self.fail("Fires/Quiet outside an alert's own tests must name the alert: alert=...")
            return []
        if name not in self.alerts:
            self.fail(f"alert {name} is not defined in this module; a test of a missing alert would pass silently")
            return []
        if isinstance(expectation, Quiet):
            return self.alerts[name]
        matching = [
            alert
            for alert in self.alerts[name]
            if all(expectation.labels.get(label, value) == value for label, value in alert.labels.items())
        ]
        if len(matching) != 1:
            self.fail(
                f"alert {name} at {format_duration(expectation.at)}: {len(matching)} rules named {name} match "
                "the expected labels; give the label that tells them apart in labels="
            )
            return []
        return matching

    def _expected_instance(self, alert: Alert, fires: Fires) -> tuple[dict[str, str], dict[str, str]]:
        """Expected labels: the rule's labels, then the test's. Annotations that only read `$labels.x` are
        rendered from the test's labels (the expression's result labels, as Prometheus renders them)."""
        at = format_duration(fires.at)
        labels = {**alert.labels, **fires.labels}
        for name, value in alert.labels.items():
            if "{{" in value and name not in fires.labels:
                self.fail(f"alert {alert.name} at {at}: label {name!r} is a template; give its value in labels=")
        annotations: dict[str, str] = {}
        for name, template in alert.annotations.items():
            if name in fires.annotations:
                annotations[name] = fires.annotations[name]
                continue
            rendered = self._render(alert, at, name, template, fires.labels)
            if rendered is not None:
                annotations[name] = rendered
        for name in fires.annotations.keys() - alert.annotations.keys():
            annotations[name] = fires.annotations[name]
        return dict(sorted(labels.items())), dict(sorted(annotations.items()))

    def _render(self, alert: Alert, at: str, name: str, template: str, labels: dict[str, str]) -> str | None:
        missing = [label for label in LABEL_TEMPLATE.findall(template) if label not in labels]
        if missing:
            self.fail(
                f"alert {alert.name} at {at}: annotation {name!r} reads $labels.{missing[0]}, "
                "which the expected labels lack; add it to labels= (or the alert's result lacks it)"
            )
            return None
        rendered = LABEL_TEMPLATE.sub(lambda match: labels[match.group(1)], template)
        if "{{" in rendered:
            self.fail(
                f"alert {alert.name} at {at}: annotation {name!r} uses more than $labels "
                "($value, functions); give its expected text in Fires(annotations=...)"
            )
            return None
        return rendered

    def _expr_check(self, evaluates: Evaluates) -> tuple[str, ExpectedSample] | None:
        """The expression an `Evaluates` queries and the sample it expects (None, with a problem, if neither
        resolves); the `Evaluates` of one expression and time are checked together."""
        expr = evaluates.expr or (self.subject.name if isinstance(self.subject, Record) else None)
        if expr is None:
            self.fail("Evaluates outside a recording rule's own tests must give expr=")
            return None
        ast = parse_promql(expr)
        recorded_name = ast.name if isinstance(ast, promql_parser.VectorSelector) else None
        if recorded_name and ":" in recorded_name and recorded_name not in self.records:
            self.fail(f"record {recorded_name} is not defined in this module nor in a module its rules read")
            return None
        labels = dict(evaluates.labels)
        if isinstance(ast, promql_parser.VectorSelector) and ast.name:
            labels = {"__name__": ast.name, **labels}
        self._check_engines(evaluates, [Dependency(expr, (milliseconds(evaluates.at),))])
        return expr, ExpectedSample(labels, evaluates.value)

    def _check_engines(self, expectation: Expectation, dependencies: list[Dependency]) -> None:
        """Refuse an expectation whose verdict could differ between Prometheus 2 and 3, at its own line (a test
        of native histograms runs on Prometheus 3 alone)."""
        if holds_native_histograms(self.test):
            return
        reason = engine_disagreement(self.samples, dependencies, self.records, self.evaluation_interval)
        if reason is not None:
            self.problems.append(
                Problem(
                    f'test "{self.test.name}": at {format_duration(expectation.at)}: {reason}', expectation.location
                )
            )
