"""`alertmanager/route-shadowed`: a route every known alert it matches reaches only after an earlier sibling
without continue took it."""

from __future__ import annotations

from compiler.dsl import Alert, Alertmanager, Receiver, Route
from compiler.lint.checks.alertmanager_route_shadowed import RouteShadowed
from tests.lint.routing_subject import alert, run

RECEIVERS = [Receiver("default"), Receiver("database"), Receiver("pager"), Receiver("chat")]
DATABASE_PAGES = [
    alert("PostgresqlDown", severity="critical", team="database"),
    alert("PostgresqlReplicationLagHigh", severity="warning", team="database"),
]


def shadowed(routes: list[Route], *alerts: Alert) -> list[tuple[int, str]]:
    """(line, message) of each route reported, under a root that holds `routes`."""
    config = Alertmanager(route=Route("default", routes=routes), receivers=RECEIVERS)
    return [(report.location.line, report.message) for report in run(RouteShadowed(), config, *alerts)]


def test_a_route_whose_every_alert_an_earlier_sibling_takes_is_reported_at_its_line() -> None:
    database = Route("database", matchers=['team="database"'])
    pager = Route("pager", matchers=['severity="critical"'])
    assert shadowed([database, pager], *DATABASE_PAGES) == [
        (
            pager.location.line,
            f"route 'pager' (severity=\"critical\") never receives an alert moncc knows: PostgresqlDown goes to route"
            f" 'database' (team=\"database\") at line {database.location.line} first, which does not continue;"
            " move the route before that one, or give that one continue_=True",
        )
    ]


def test_an_earlier_sibling_that_continues_takes_nothing_away() -> None:
    routes = [
        Route("database", matchers=['team="database"'], continue_=True),
        Route("pager", matchers=['severity="critical"']),
    ]
    assert shadowed(routes, *DATABASE_PAGES) == []


def test_one_known_alert_that_gets_through_is_enough() -> None:
    routes = [Route("database", matchers=['team="database"']), Route("pager", matchers=['severity="critical"'])]
    assert shadowed(routes, *DATABASE_PAGES, alert("ApiDown", severity="critical", team="api")) == []


def test_a_route_that_matches_no_known_alert_is_not_this_checks_business() -> None:
    routes = [Route("database", matchers=['team="database"']), Route("pager", matchers=['severity="info"'])]
    assert shadowed(routes, *DATABASE_PAGES) == []


def test_a_templated_label_may_take_any_value_so_the_route_may_be_reached() -> None:
    routes = [Route("database", matchers=['team="database"']), Route("pager", matchers=['severity="critical"'])]
    owned = alert("ServiceDown", severity="critical", team="{{ $labels.owner }}")
    assert shadowed(routes, *DATABASE_PAGES, owned) == []


def test_a_templated_label_does_not_surely_match_the_earlier_route_either() -> None:
    routes = [Route("database", matchers=['team=~".+"']), Route("pager", matchers=['severity="critical"'])]
    assert shadowed(routes, alert("ServiceDown", severity="critical", team="{{ $labels.owner }}")) == []


def test_only_the_shadowed_route_is_reported_not_the_routes_below_it() -> None:
    pager = Route("pager", matchers=['severity="critical"'], routes=[Route("chat", matchers=['team="database"'])])
    reported = shadowed([Route("database", matchers=['team="database"']), pager], *DATABASE_PAGES)
    assert [line for line, _ in reported] == [pager.location.line]


def test_a_route_shadowed_inside_a_subtree_is_found() -> None:
    inner = Route("pager", matchers=['severity="critical"'])
    database = Route(
        "database", matchers=['team="database"'], routes=[Route("chat", matchers=['alertname=~"Postgresql.*"']), inner]
    )
    assert [line for line, _ in shadowed([database], *DATABASE_PAGES)] == [inner.location.line]


def test_every_earlier_sibling_that_takes_some_of_its_alerts_is_named() -> None:
    database = Route("database", matchers=['team="database"'])
    chat = Route("chat", matchers=['team="api"'])
    pager = Route("pager", matchers=['severity="critical"'])
    alerts = (*DATABASE_PAGES, alert("ApiDown", severity="critical", team="api"))
    [(line, message)] = shadowed([database, chat, pager], *alerts)
    assert line == pager.location.line
    assert (
        f"ApiDown, PostgresqlDown go to route 'database' (team=\"database\") at line {database.location.line} and"
        f" route 'chat' (team=\"api\") at line {chat.location.line} first, which do not continue" in message
    )
