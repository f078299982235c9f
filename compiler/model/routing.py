"""Where every alert goes: the receivers each alert's label sets reach, and what is wrong with the routing.

An alert's label sets are those its `Fires` tests show (the rule's labels and the expression's), or its own
labels when no test shows it firing. The model routes each one with Alertmanager's semantics, so the build
fails on an alert that reaches only the root's receiver, a severity no route takes, a matcher or an inhibit
rule's `equal` label that no alert carries, and a route or inhibit test that does not hold.
`moncc test` then proves the same table with amtool on the emitted configuration.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from compiler.dsl.alertmanager.config import Alertmanager
from compiler.dsl.alertmanager.inhibition import InhibitRule, inhibited_by
from compiler.dsl.alertmanager.matchers import Matcher, matches_all
from compiler.dsl.alertmanager.routes import Destination, destinations
from compiler.dsl.alertmanager.routing_tests import InhibitTest, RouteTest
from compiler.dsl.rules import Alert
from compiler.model.test_links import ModuleTests
from compiler.problems import Problem, SourceLocation

ALERTNAME = "alertname"
SEVERITY = "severity"


@dataclass(frozen=True)
class RoutedAlert:
    """One label set of one alert, and the routes it reaches."""

    alert: str
    labels: Mapping[str, str]
    """Every label Alertmanager receives, `alertname` included."""
    location: SourceLocation
    destinations: tuple[Destination, ...]

    @property
    def receivers(self) -> tuple[str, ...]:
        return tuple(destination.receiver for destination in self.destinations)

    @property
    def only_default(self) -> bool:
        return all(destination.depth == 0 for destination in self.destinations)

    @property
    def templated(self) -> tuple[str, ...]:
        """Labels whose value is a template no test rendered: known only when the alert fires, so where
        this label set goes is not known either, and no check or proof relies on it."""
        return tuple(name for name, value in self.labels.items() if "{{" in value)


@dataclass(frozen=True)
class Routing:
    """The project's Alertmanager configuration and where each alert it knows goes."""

    alertmanager: Alertmanager
    alerts: tuple[RoutedAlert, ...]


def route_alerts(
    alertmanager: Alertmanager, alerts: Iterable[Alert], tests: Iterable[ModuleTests]
) -> tuple[Routing, list[Problem]]:
    """Route every alert's label sets and check the routing; problems point at the line to change."""
    routed = tuple(
        RoutedAlert(alert.name, labels, alert.location, tuple(destinations(alertmanager.route, labels)))
        for alert, labels in _label_sets(alerts, tests)
    )
    routing = Routing(alertmanager, routed)
    problems = [
        *_unrouted(routing),
        *_severities_without_route(routing),
        *_matchers_on_missing_labels(routing),
        *_inhibit_rules_on_missing_labels(routing),
        *_failing_tests(alertmanager),
    ]
    return routing, problems


def _label_sets(alerts: Iterable[Alert], tests: Iterable[ModuleTests]) -> Iterator[tuple[Alert, dict[str, str]]]:
    """Each alert with every distinct label set it is shown firing with, or its own labels when none is."""
    shown: dict[str, list[dict[str, str]]] = defaultdict(list)
    for module in tests:
        for test in module.tests:
            for check in test.alert_checks:
                shown[check.alert].extend(labels for labels, _ in check.instances)
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for alert in alerts:
        own = [{**alert.labels, **labels} for labels in shown[alert.name] if _agrees(alert.labels, labels)]
        for labels in own or [dict(alert.labels)]:
            full = dict(sorted({**labels, ALERTNAME: alert.name}.items()))
            key = (alert.name, tuple(full.items()))
            if key not in seen:
                seen.add(key)
                yield alert, full


def _agrees(own: Mapping[str, str], shown: Mapping[str, str]) -> bool:
    """Whether a label set a test shows can be this rule's (rules sharing an alert name differ in labels)."""
    return all(shown.get(name, value) == value for name, value in own.items() if "{{" not in value)


def _unrouted(routing: Routing) -> Iterator[Problem]:
    allowed = routing.alertmanager.unrouted
    known = {routed.alert for routed in routing.alerts}
    for name in sorted(allowed.keys() - known):
        yield Problem(
            f"alertmanager: unrouted names {name!r}, which no alerting rule defines", routing.alertmanager.location
        )
    for routed in routing.alerts:
        if routed.only_default and routed.alert not in allowed and not routed.templated:
            yield Problem(
                f"alert {routed.alert}: reaches only the root route's receiver {routed.receivers[0]!r} with"
                f" {shown_labels(routed.labels)}; add a route for it, or name it in Alertmanager(unrouted=...) with the"
                " reason",
                routed.location,
            )


def _severities_without_route(routing: Routing) -> Iterator[Problem]:
    """A severity that no route below the root names: its alerts page nobody on purpose, or by accident."""
    config = routing.alertmanager
    severity_routes = [
        route for route in config.route.walk() if route is not config.route and _names(route.matchers, SEVERITY)
    ]
    alerts_by_severity: dict[str, list[str]] = defaultdict(list)
    for routed in routing.alerts:
        if SEVERITY in routed.labels and routed.alert not in config.unrouted and SEVERITY not in routed.templated:
            alerts_by_severity[routed.labels[SEVERITY]].append(routed.alert)
    for severity, names in sorted(alerts_by_severity.items()):
        labels = {SEVERITY: severity}
        if not any(
            matcher.matches(labels) for route in severity_routes for matcher in _names(route.matchers, SEVERITY)
        ):
            yield Problem(
                f"alertmanager: severity {severity!r} ({', '.join(sorted(set(names)))}) has no route that matches"
                " it; route it, or name its alerts in unrouted=... with the reason",
                config.location,
            )


def _names(matchers: Iterable[Matcher], label: str) -> list[Matcher]:
    return [matcher for matcher in matchers if matcher.name == label]


def _carried(routing: Routing) -> set[str]:
    return {name for routed in routing.alerts for name in routed.labels} | set(routing.alertmanager.external_labels)


def _matchers_on_missing_labels(routing: Routing) -> Iterator[Problem]:
    """A matcher on a label no alert carries is a typo, or a route for alerts moncc does not know."""
    carried = _carried(routing)
    for route in routing.alertmanager.route.walk():
        for matcher in route.matchers:
            if matcher.name not in carried and not matcher.is_negative:
                yield Problem(
                    f"route: matcher {matcher} reads label {matcher.name!r}, which no alert carries"
                    " (declare labels Prometheus adds in Alertmanager(external_labels=...))",
                    route.location,
                )


def _inhibit_rules_on_missing_labels(routing: Routing) -> Iterator[Problem]:
    """Alertmanager reads a missing label as empty, so `equal` on a label one side lacks mutes too much."""
    external = set(routing.alertmanager.external_labels)
    for rule in routing.alertmanager.inhibit_rules:
        for side, matchers in (("source", rule.source), ("target", rule.target)):
            matching = [routed for routed in routing.alerts if matches_all(matchers, routed.labels)]
            if not matching:
                yield Problem(f"inhibit rule: its {side} matches no alert", rule.location)
                continue
            for name in rule.equal:
                lacking = sorted({routed.alert for routed in matching if name not in routed.labels})
                if name not in external and lacking:
                    yield Problem(
                        f"inhibit rule: equal label {name!r} is missing on {side} alerts {', '.join(lacking)},"
                        " and a missing label equals every other missing one",
                        rule.location,
                    )


def _failing_tests(config: Alertmanager) -> Iterator[Problem]:
    for test in config.tests:
        if isinstance(test, RouteTest):
            yield from _route_test_problems(config, test)
        else:
            yield from _inhibit_test_problems(config.inhibit_rules, test)


def _route_test_problems(config: Alertmanager, test: RouteTest) -> Iterator[Problem]:
    reached = destinations(config.route, test.labels)
    receivers = tuple(destination.receiver for destination in reached)
    if receivers != test.receivers:
        yield Problem(
            f"route test: {shown_labels(test.labels)} reaches {', '.join(receivers)}, not {', '.join(test.receivers)}",
            test.location,
        )
    elif test.group_by is not None:
        for destination in reached:
            if set(destination.group_by) != set(test.group_by):
                yield Problem(
                    f"route test: {shown_labels(test.labels)} is grouped by {list(destination.group_by)} at receiver"
                    f" {destination.receiver}, not {list(test.group_by)}",
                    test.location,
                )


def _inhibit_test_problems(rules: tuple[InhibitRule, ...], test: InhibitTest) -> Iterator[Problem]:
    firing = test.alerts()
    for labels in test.inhibited:
        if not inhibited_by(rules, labels, firing):
            yield Problem(f"inhibit test: {shown_labels(labels)} is not inhibited", test.location)
    for labels in test.not_inhibited:
        muting = inhibited_by(rules, labels, firing)
        if muting:
            rule, source = muting[0]
            yield Problem(
                f"inhibit test: {shown_labels(labels)} is inhibited by {shown_labels(source)} (the rule at line"
                f" {rule.location.line})",
                test.location,
            )


def shown_labels(labels: Mapping[str, str]) -> str:
    """A label set as messages and tables show it, in PromQL's notation."""
    return "{" + ", ".join(f'{name}="{value}"' for name, value in sorted(labels.items())) + "}"
