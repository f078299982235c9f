"""`alertmanager/receiver-unused`: a receiver counts as used only when a route of the tree names it."""

from __future__ import annotations

from compiler.dsl import Alertmanager, Receiver, Route, RouteTest
from compiler.lint.checks.alertmanager_receiver_unused import ReceiverUnused
from tests.lint.routing_subject import alert, run

ALERTS = (alert("ApiDown", severity="critical"), alert("ApiSlow", severity="warning"))


def unused(route: Route, *receivers: Receiver, tests: list[RouteTest] | None = None) -> list[str]:
    config = Alertmanager(route=route, receivers=receivers, tests=tests or [])
    return [report.message for report in run(ReceiverUnused(), config, *ALERTS)]


def test_the_root_and_every_nested_route_name_a_receiver() -> None:
    route = Route("chat", routes=[Route(matchers=['severity="critical"'], routes=[Route("pager")])])
    assert unused(route, Receiver("chat"), Receiver("pager")) == []


def test_a_receiver_no_route_names_is_reported_at_its_line() -> None:
    legacy = Receiver("pager-legacy")
    config = Alertmanager(
        route=Route("chat", routes=[Route("pager", matchers=['severity="critical"'])]),
        receivers=[Receiver("chat"), Receiver("pager"), legacy],
    )
    [report] = run(ReceiverUnused(), config, *ALERTS)
    assert report.location == legacy.location
    assert report.message == (
        "receiver 'pager-legacy' is named by no route, so nothing is ever sent to it; route alerts to it, or remove it"
    )


def test_a_route_test_naming_a_receiver_does_not_use_it() -> None:
    tests = [RouteTest(labels={"severity": "critical"}, receivers=["chat"])]
    assert len(unused(Route("chat"), Receiver("chat"), Receiver("pager"), tests=tests)) == 1
