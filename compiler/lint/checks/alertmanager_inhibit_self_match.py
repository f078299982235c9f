"""The `alertmanager/inhibit-self-match` check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.matchers import matches_all
from compiler.lint.check import Report, RoutingCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRouting, surely_matches
from compiler.model.routing import shown_labels


class InhibitSelfMatch(RoutingCheck):
    """An inhibit rule whose source matchers also match its target side, so an alert can match both.

    Written as it reads, such a rule lets alerts mute their own kind: with `source=['severity=~"critical|warning"']`
    and `target=['severity="warning"']`, one warning would mute every other warning of the same `equal`
    labels. Alertmanager does not do that: for a target that matches both sides, it ignores every source that
    also matches both. So the rule does less than it says, and what it does depends on a rule few remember.
    Either the source was meant to be narrower (`severity="critical"`) or the rule was meant to do something
    Alertmanager will not.

    Reported at the rule when an alert moncc knows matches both sides, or when the target's own values
    (its `=` matchers) satisfy the source; make the sides exclude each other.
    """

    name = "alertmanager/inhibit-self-match"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Alertmanager, InhibitRule, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("database", [
            Alert("PostgresqlDown", expr="pg_up == 0", for_="1m", severity="critical", labels={"team": "database"}),
            Alert(
                "PostgresqlReplicationLagHigh",
                expr="pg_replication_lag_seconds > 300",
                for_="10m",
                severity="warning",
                labels={"team": "database"},
            ),
        ])

        alertmanager = Alertmanager(
            route=Route("chat", routes=[
                Route("pager", matchers=['severity="critical"']),
                Route("chat", matchers=['severity="warning"']),
            ]),
            receivers=[
                Receiver("chat", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("pager", [Webhook(url="http://incident-bot.monitoring.svc/page")]),
            ],
            inhibit_rules=[
                InhibitRule(  # bad: a warning matches both sides
                    source=['severity=~"critical|warning"'],
                    target=['severity="warning"'],
                    equal=["team"],
                ),
                InhibitRule(source=['team="database"'], target=['severity="warning"'], equal=["team"]),  # bad: both
            ],
        )
    """
    good = """
        from compiler.dsl import Alert, Alertmanager, InhibitRule, Receiver, Route, RuleGroup, Webhook

        group = RuleGroup("database", [
            Alert("PostgresqlDown", expr="pg_up == 0", for_="1m", severity="critical", labels={"team": "database"}),
            Alert(
                "PostgresqlReplicationLagHigh",
                expr="pg_replication_lag_seconds > 300",
                for_="10m",
                severity="warning",
                labels={"team": "database"},
            ),
        ])

        alertmanager = Alertmanager(
            route=Route("chat", routes=[
                Route("pager", matchers=['severity="critical"']),
                Route("chat", matchers=['severity="warning"']),
            ]),
            receivers=[
                Receiver("chat", [Webhook(url="http://chat-bridge.monitoring.svc/alerts")]),
                Receiver("pager", [Webhook(url="http://incident-bot.monitoring.svc/page")]),
            ],
            inhibit_rules=[
                InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["team"]),
                InhibitRule(
                    source=['alertname="PostgresqlDown"'],
                    target=['team="database"', 'severity="warning"'],
                    equal=["team"],
                ),
            ],
        )
    """

    def check(self, routing: LintedRouting, context: LintContext) -> Iterator[Report]:
        for rule in routing.alertmanager.inhibit_rules:
            both = sorted({alert.alert for alert in routing.alerts if _matches_both(rule, alert.labels)})
            if both:
                named = f"alert {both[0]} matches" if len(both) == 1 else f"alerts {', '.join(both)} match"
                yield Report(
                    f"inhibit rule: {named} both its source and its target, and Alertmanager never lets alerts"
                    " that do mute each other; make the sides exclude each other",
                    rule.location,
                )
                continue
            own = _target_values(rule)
            if matches_all(rule.source, own) and matches_all(rule.target, own):
                yield Report(
                    f"inhibit rule: its target {shown_labels(own)} also matches its source, and Alertmanager never lets"
                    " alerts that match both sides mute each other; make the sides exclude each other",
                    rule.location,
                )


def _matches_both(rule: InhibitRule, labels: Mapping[str, str]) -> bool:
    return surely_matches(rule.source, labels) and surely_matches(rule.target, labels)


def _target_values(rule: InhibitRule) -> dict[str, str]:
    """The labels the target's equality matchers fix: the least an alert the rule mutes carries."""
    return {matcher.name: matcher.value for matcher in rule.target if matcher.operator == "="}
