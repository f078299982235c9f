"""`alertmanager/inhibit-self-match`: an inhibit rule an alert can match on both sides, shown by a known alert
or by the target's own values."""

from __future__ import annotations

import pytest

from compiler.dsl import Alert, Alertmanager, InhibitRule, Receiver, Route
from compiler.lint.checks.alertmanager_inhibit_self_match import InhibitSelfMatch
from tests.lint.routing_subject import alert, run

ALERTS = (
    alert("PostgresqlDown", severity="critical", team="database"),
    alert("PostgresqlReplicationLagHigh", severity="warning", team="database"),
    alert("ApiSlow", severity="warning", team="api"),
)


def self_matching(rule: InhibitRule, *alerts: Alert) -> list[str]:
    config = Alertmanager(route=Route("chat"), receivers=[Receiver("chat")], inhibit_rules=[rule])
    reports = run(InhibitSelfMatch(), config, *(alerts or ALERTS))
    assert all(report.location == rule.location for report in reports)
    return [report.message for report in reports]


def test_sides_that_exclude_each_other_are_fine() -> None:
    assert self_matching(InhibitRule(source=['severity="critical"'], target=['severity="warning"'])) == []


def test_known_alerts_matching_both_sides_are_named() -> None:
    rule = InhibitRule(source=['severity=~"critical|warning"'], target=['severity="warning"'], equal=["team"])
    assert self_matching(rule) == [
        "inhibit rule: alerts ApiSlow, PostgresqlReplicationLagHigh match both its source and its target, and"
        " Alertmanager never lets alerts that do mute each other; make the sides exclude each other"
    ]


def test_one_known_alert_matching_both_sides_is_enough() -> None:
    rule = InhibitRule(source=['team="database"'], target=['severity="warning"'])
    assert self_matching(rule) == [
        "inhibit rule: alert PostgresqlReplicationLagHigh matches both its source and its target, and"
        " Alertmanager never lets alerts that do mute each other; make the sides exclude each other"
    ]


def test_the_targets_own_values_show_it_when_no_known_alert_does() -> None:
    rule = InhibitRule(source=['severity!="info"'], target=['severity="page"', 'team="database"'])
    assert self_matching(rule) == [
        'inhibit rule: its target {severity="page", team="database"} also matches its source, and Alertmanager'
        " never lets alerts that match both sides mute each other; make the sides exclude each other"
    ]


@pytest.mark.parametrize(
    "target",
    [
        ['severity=~"warning|info"'],  # no value fixed, so nothing to show
        ['severity="warning"', 'team!=""'],  # the fixed values alone do not satisfy the target
    ],
)
def test_target_values_that_do_not_make_a_whole_target_show_nothing(target: list[str]) -> None:
    rule = InhibitRule(source=['severity!="critical"'], target=target)
    assert self_matching(rule, alert("PostgresqlDown", severity="critical")) == []


def test_a_templated_label_is_not_known_to_match_both_sides() -> None:
    rule = InhibitRule(source=['team="database"'], target=['severity="warning"'])
    assert self_matching(rule, alert("ServiceSlow", severity="warning", team="{{ $labels.owner }}")) == []
