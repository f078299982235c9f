"""The `alertmanager/group-by-unknown-label` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.dsl.alertmanager.routes import GROUP_BY_ALL
from compiler.lint.check import Report, RoutingCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRouting, route_title

_ALWAYS_CARRIED = frozenset({GROUP_BY_ALL, "alertname"})


class GroupByUnknownLabel(RoutingCheck):
    """A route groups by a label that no alert carries, so the grouping keeps nothing apart.

    Alertmanager sends one notification per group, a group being the alerts that share the values of the
    `group_by` labels. A label no alert carries is empty on all of them: grouping by it does nothing, and
    alerts meant to be told apart (one message per cluster, say) arrive as one. Usually it is a typo
    (`namespaces`), or a label Prometheus adds to every alert and `external_labels=` does not declare.

    An alert carries the labels its tests show it firing with, else its own labels; `...` and `alertname`
    are always fine. Reported at the route; fix the name, or declare the label in
    `Alertmanager(external_labels=...)`.
    """

    name = "alertmanager/group-by-unknown-label"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Alertmanager, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("kubernetes", [
            Alert(
                "KubePodCrashLooping",
                expr="increase(kube_pod_container_status_restarts_total[15m]) > 3",
                for_="15m",
                severity="warning",
                labels={"team": "platform"},
            ),
        ])

        alertmanager = Alertmanager(
            route=Route(  # bad: no alert carries cluster
                "chat",
                group_by=["alertname", "cluster"],
                routes=[
                    Route("platform", matchers=['severity="warning"'], group_by=["teams"]),  # bad: a typo
                ],
            ),
            receivers=[
                Receiver("chat", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("platform", [Webhook(url="http://chat-bridge.monitoring.svc/platform")]),
            ],
        )
    """
    good = """
        from compiler.dsl import Alert, Alertmanager, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("kubernetes", [
            Alert(
                "KubePodCrashLooping",
                expr="increase(kube_pod_container_status_restarts_total[15m]) > 3",
                for_="15m",
                severity="warning",
                labels={"team": "platform"},
            ),
        ])

        alertmanager = Alertmanager(
            route=Route(
                "chat",
                group_by=["alertname", "cluster"],
                routes=[
                    Route("platform", matchers=['severity="warning"'], group_by=["team"]),
                ],
            ),
            receivers=[
                Receiver("chat", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("platform", [Webhook(url="http://chat-bridge.monitoring.svc/platform")]),
            ],
            external_labels=["cluster"],
        )
    """

    def check(self, routing: LintedRouting, context: LintContext) -> Iterator[Report]:
        for route in routing.alertmanager.route.walk():
            unknown = [label for label in route.group_by or () if label not in routing.carried | _ALWAYS_CARRIED]
            if unknown:
                names = ", ".join(repr(label) for label in unknown)
                yield Report(
                    f"{route_title(route)} groups by {names}, which no alert carries, so it keeps no"
                    " alerts apart; fix the name, or declare a label Prometheus adds to every alert in"
                    " Alertmanager(external_labels=...)",
                    route.location,
                )
