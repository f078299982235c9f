"""The `alertmanager/route-shadowed` check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from compiler.dsl.alertmanager.routes import Route
from compiler.lint.check import Report, RoutingCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRouting, may_match, route_title, surely_matches
from compiler.model.routing import RoutedAlert


class RouteShadowed(RoutingCheck):
    """A route that receives no alert moncc knows: an earlier sibling without `continue_` takes each it matches.

    Alertmanager offers an alert to a route's children in order and stops at the first that matches, unless
    that one says `continue_=True`. moncc refuses a route whose matchers make it unreachable whatever the
    labels (`severity="critical"` after a route on `severity=~"critical|warning"`); this check goes further
    with the alerts moncc knows (the label sets their tests show them firing with, else their own labels).
    When each of them that the route matches is taken first by an earlier sibling, the route receives none:
    `team="database"` before `severity="critical"` leaves the pager nothing if every critical alert is the
    database team's. The matchers alone allow it, so a new alert may reach it one day; today it is dead.

    Reported at the route; put it before the sibling that takes its alerts, give that sibling
    `continue_=True`, or narrow the sibling's matchers. A route that matches no known alert at all is not
    reported here, nor one a templated label value (`team="{{ $labels.owner }}"`) may bring an alert to.
    """

    name = "alertmanager/route-shadowed"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Alertmanager, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("database", [
            Alert("PostgresqlDown", expr="pg_up == 0", for_="1m", severity="critical", labels={"team": "database"}),
            Alert(
                "PostgresqlTooManyConnections",
                expr="pg_stat_activity_count / pg_settings_max_connections > 0.9",
                for_="5m",
                severity="critical",
                labels={"team": "database"},
            ),
        ])

        alertmanager = Alertmanager(
            route=Route("default", group_by=["alertname"], routes=[
                Route("database", matchers=['team="database"']),
                Route("pager", matchers=['severity="critical"']),  # bad: every critical alert is the database team's
            ]),
            receivers=[
                Receiver("default", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("database", [Webhook(url="http://chat-bridge.monitoring.svc/database")]),
                Receiver("pager", [Webhook(url="http://incident-bot.monitoring.svc/page")]),
            ],
        )
    """
    good = """
        from compiler.dsl import Alert, Alertmanager, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("database", [
            Alert("PostgresqlDown", expr="pg_up == 0", for_="1m", severity="critical", labels={"team": "database"}),
            Alert(
                "PostgresqlTooManyConnections",
                expr="pg_stat_activity_count / pg_settings_max_connections > 0.9",
                for_="5m",
                severity="critical",
                labels={"team": "database"},
            ),
        ])

        alertmanager = Alertmanager(
            route=Route("default", group_by=["alertname"], routes=[
                Route("pager", matchers=['severity="critical"'], continue_=True),
                Route("database", matchers=['team="database"']),
            ]),
            receivers=[
                Receiver("default", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("database", [Webhook(url="http://chat-bridge.monitoring.svc/database")]),
                Receiver("pager", [Webhook(url="http://incident-bot.monitoring.svc/page")]),
            ],
        )
    """

    def check(self, routing: LintedRouting, context: LintContext) -> Iterator[Report]:
        root = routing.alertmanager.route
        entered: dict[int, list[RoutedAlert]] = {id(root): list(routing.alerts)}
        for alert in routing.alerts:
            for route in _entered(root, alert.labels):
                entered.setdefault(id(route), []).append(alert)
        for parent in root.walk():
            arrived = entered.get(id(parent), [])
            for position, route in enumerate(parent.routes):
                matched = [alert for alert in arrived if may_match(route.matchers, alert.labels)]
                if matched and id(route) not in entered:
                    yield Report(_message(route, parent.routes[:position], matched), route.location)


def _entered(route: Route, labels: Mapping[str, str]) -> Iterator[Route]:
    """The routes below `route` (which the alert reached and matched) whose matchers the alert may satisfy once
    Alertmanager offers it to them: the walk stops at the first sibling the alert surely matches, unless that
    one continues."""
    for child in route.routes:
        if may_match(child.matchers, labels):
            yield child
            yield from _entered(child, labels)
        if not child.continue_ and surely_matches(child.matchers, labels):
            break


def _message(route: Route, earlier: tuple[Route, ...], matched: list[RoutedAlert]) -> str:
    """Names the route, the alerts it would take and the earlier siblings that take them first."""
    first_takers = {id(_taker(earlier, alert.labels)) for alert in matched}
    takers = [sibling for sibling in earlier if id(sibling) in first_takers]
    names = sorted({alert.alert for alert in matched})
    alerts = f"{names[0]} goes" if len(names) == 1 else f"{', '.join(names)} go"
    taken_by = " and ".join(f"{route_title(sibling)} at line {sibling.location.line}" for sibling in takers)
    which, that = ("which does", "that one") if len(takers) == 1 else ("which do", "those")
    return (
        f"{route_title(route)} never receives an alert moncc knows: {alerts} to {taken_by} first, {which} not"
        f" continue; move the route before {that}, or give {that} continue_=True"
    )


def _taker(earlier: tuple[Route, ...], labels: Mapping[str, str]) -> Route | None:
    """The sibling Alertmanager stops at for these labels."""
    return next(
        (sibling for sibling in earlier if not sibling.continue_ and surely_matches(sibling.matchers, labels)), None
    )
