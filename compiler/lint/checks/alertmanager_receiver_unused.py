"""The `alertmanager/receiver-unused` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.lint.check import Report, RoutingCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRouting


class ReceiverUnused(RoutingCheck):
    """A receiver that no route names, so Alertmanager never notifies it.

    Alertmanager accepts receivers nothing sends to, so a route renamed or removed leaves its receiver
    behind without a word: the team still believes it is paged there, and the integration's secrets stay
    mounted for nothing. A route test that names it does not count: only the routing tree sends alerts.

    Reported at the receiver; route alerts to it, or remove it.
    """

    name = "alertmanager/receiver-unused"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Alertmanager, PagerDuty, Receiver, Route, RuleGroup, Secret, Webhook

        group = RuleGroup("api", [
            Alert("ApiDown", expr='up{job="api"} == 0', for_="2m", severity="critical"),
        ])

        alertmanager = Alertmanager(
            route=Route("chat", routes=[Route("pager", matchers=['severity="critical"'])]),
            receivers=[
                Receiver("chat", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("pager", [Webhook(url="http://incident-bot.monitoring.svc/page")]),
                Receiver("pager-legacy", [  # bad: no route sends alerts to it
                    PagerDuty(service_key=Secret("alertmanager-pagerduty", "service-key")),
                ]),
            ],
        )
    """
    good = """
        from compiler.dsl import Alert, Alertmanager, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("api", [
            Alert("ApiDown", expr='up{job="api"} == 0', for_="2m", severity="critical"),
        ])

        alertmanager = Alertmanager(
            route=Route("chat", routes=[Route("pager", matchers=['severity="critical"'])]),
            receivers=[
                Receiver("chat", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("pager", [Webhook(url="http://incident-bot.monitoring.svc/page")]),
            ],
        )
    """

    def check(self, routing: LintedRouting, context: LintContext) -> Iterator[Report]:
        named = {route.receiver for route in routing.alertmanager.route.walk()}
        for receiver in routing.alertmanager.receivers:
            if receiver.name not in named:
                yield Report(
                    f"receiver {receiver.name!r} is named by no route, so nothing is ever sent to it; route alerts"
                    " to it, or remove it",
                    receiver.location,
                )
