"""`alertmanager/group-by-unknown-label`: a route's own `group_by` names only labels some alert carries, or
Prometheus adds."""

from __future__ import annotations

from compiler.dsl import Alertmanager, Receiver, Route
from compiler.lint.checks.alertmanager_group_by_unknown_label import GroupByUnknownLabel
from tests.lint.routing_subject import alert, run

ALERTS = (alert("KubePodCrashLooping", severity="warning", team="platform", namespace="shop"),)


def unknown(route: Route, external_labels: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    config = Alertmanager(route=route, receivers=[Receiver("chat")], external_labels=external_labels)
    return [(report.location.line, report.message) for report in run(GroupByUnknownLabel(), config, *ALERTS)]


def test_labels_alerts_carry_are_fine_and_so_are_alertname_and_everything() -> None:
    route = Route(
        "chat", group_by=["alertname", "namespace"], routes=[Route(matchers=['team="platform"'], group_by=["..."])]
    )
    assert unknown(route) == []


def test_each_route_names_its_own_unknown_labels_at_its_line() -> None:
    child = Route(matchers=['team="platform"'], group_by=["namespaces", "team", "pod"])
    root = Route("chat", group_by=["cluster"], routes=[child])
    assert unknown(root) == [
        (
            root.location.line,
            "route 'chat' groups by 'cluster', which no alert carries, so it keeps no alerts apart; fix the name,"
            " or declare a label Prometheus adds to every alert in Alertmanager(external_labels=...)",
        ),
        (
            child.location.line,
            "route (team=\"platform\") groups by 'namespaces', 'pod', which no alert carries, so it keeps no alerts"
            " apart; fix the name, or declare a label Prometheus adds to every alert in"
            " Alertmanager(external_labels=...)",
        ),
    ]


def test_external_labels_are_carried_by_every_alert() -> None:
    assert unknown(Route("chat", group_by=["alertname", "cluster"]), external_labels=("cluster",)) == []


def test_an_inherited_group_by_is_reported_only_where_it_is_written() -> None:
    root = Route("chat", group_by=["cluster"], routes=[Route(matchers=['team="platform"'])])
    assert [line for line, _ in unknown(root)] == [root.location.line]
