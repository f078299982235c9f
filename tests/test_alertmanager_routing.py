"""Routing problems through the real `moncc build`: each is one line `rules_src/<file>.py:<line>: <message>`,
exit status 1, and build/ untouched.

Every test starts from a project whose alerts and routing built (`routed`), breaks one thing, and compares the
problem lines exactly. The alerts' label sets come from their `Fires` tests: ApiDown fires with `job` and
`instance`, ApiSaturated with `job` only, both with the rule's `severity` and `team`.
"""

from __future__ import annotations

import pytest

from tests.conftest import Project, ProjectFactory

SERVICES = """\
from compiler.dsl import Alert, Fires, RuleGroup, RuleTest, gauge

services = RuleGroup(
    "services",
    rules=[
        Alert(
            "ApiDown",
            expr='up{job="api"} == 0',
            for_="5m",
            severity="critical",
            labels={"team": "api"},
            tests=[
                RuleTest(
                    "a target is down",
                    series=[gauge('up{job="api", instance="10.0.0.1:8080"}', 0)],
                    expect=[Fires(at="10m", labels={"job": "api", "instance": "10.0.0.1:8080"})],
                ),
            ],
        ),
        Alert(
            "ApiSaturated",
            expr="avg by (job) (api_saturation_ratio) > 0.9",
            for_="10m",
            severity="warning",
            labels={"team": "api"},
            tests=[
                RuleTest(
                    "saturated",
                    series=[gauge('api_saturation_ratio{job="api", instance="10.0.0.1:8080"}', 0.95)],
                    expect=[Fires(at="15m", labels={"job": "api"})],
                ),
            ],
        ),
    ],
)
"""

ROUTING = """\
from compiler.dsl import Alertmanager, InhibitRule, InhibitTest, Receiver, Route, RouteTest

alertmanager = Alertmanager(
    route=Route(
        "triage",
        group_by=["alertname", "team"],
        routes=[
            Route("pager", matchers=['severity="critical"']),
            Route("chat", matchers=['severity="warning"', 'job=~"api|web"']),
        ],
    ),
    receivers=[Receiver("triage"), Receiver("pager"), Receiver("chat")],
    inhibit_rules=[InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["team"])],
    tests=[
        RouteTest(labels={"alertname": "ApiDown", "severity": "critical", "team": "api"}, receivers=["pager"]),
        InhibitTest(
            firing=[{"alertname": "ApiDown", "severity": "critical", "team": "api"}],
            inhibited=[{"alertname": "ApiSaturated", "severity": "warning", "team": "api"}],
            not_inhibited=[{"alertname": "ApiSaturated", "severity": "warning", "team": "db"}],
        ),
    ],
)
"""
"""Routes on `job`, a label only the alerts' `Fires` tests show, so the build must read them to accept it."""

WATCHDOG = """\
from compiler.dsl import Alert, RuleGroup

heartbeat = RuleGroup("heartbeat", rules=[Alert("Watchdog", expr="vector(1)")])
"""


def routing(*, routes: str = "", receivers: str = "", alertmanager: str = "") -> str:
    """A routing module, its Alertmanager at line 3: the two severity routes, then `routes` (from line 9), then
    the receivers with `receivers` added, then the keywords `alertmanager` holds (from line 12 when `routes` is
    empty)."""
    return f"""\
from compiler.dsl import Alertmanager, InhibitRule, InhibitTest, Receiver, Route, RouteTest

alertmanager = Alertmanager(
    route=Route(
        "triage",
        routes=[
            Route("pager", matchers=['severity="critical"']),
            Route("chat", matchers=['severity="warning"']),{routes}
        ],
    ),
    receivers=[Receiver("triage"), Receiver("pager"), Receiver("chat"){receivers}],{alertmanager}
)
"""


@pytest.fixture
def routed(make_project: ProjectFactory) -> Project:
    """A project whose alerts every route takes, already built."""
    project = make_project(services=SERVICES, routing=ROUTING)
    project.build()
    assert project.snapshot() != {}
    return project


def test_a_project_whose_routing_is_right_builds(make_project: ProjectFactory) -> None:
    project = make_project(services=SERVICES, routing=ROUTING)
    result = project.build()
    assert result.stderr == ""
    assert "receiver: chat" in project.read("alertmanager/alertmanager.yaml")


def test_the_same_problems_fail_moncc_check(routed: Project) -> None:
    routed.write("heartbeat", WATCHDOG)
    result = routed.run("check")
    assert (result.exit_code, result.crash) == (1, None)
    assert result.problems == [
        "rules_src/heartbeat.py:3: alert Watchdog: reaches only the root route's receiver 'triage' with"
        ' {alertname="Watchdog"}; add a route for it, or name it in Alertmanager(unrouted=...) with the reason',
    ]


# --- alerts nobody is told about ------------------------------------------------------------------------------


def test_an_alert_that_reaches_only_the_root_receiver_fails_at_the_alert(routed: Project) -> None:
    routed.write("heartbeat", WATCHDOG)
    assert routed.build_fails() == [
        "rules_src/heartbeat.py:3: alert Watchdog: reaches only the root route's receiver 'triage' with"
        ' {alertname="Watchdog"}; add a route for it, or name it in Alertmanager(unrouted=...) with the reason',
    ]


def test_an_alert_named_unrouted_with_a_reason_may_reach_only_the_root(routed: Project) -> None:
    """Its severity needs no route either: the reason covers both."""
    routed.write("heartbeat", WATCHDOG.replace('expr="vector(1)"', 'expr="vector(1)", severity="none"'))
    routed.write("routing", routing(alertmanager='\n    unrouted={"Watchdog": "the dead man\'s switch: never paged"},'))
    routed.build()


def test_each_label_set_a_test_shows_is_routed(routed: Project) -> None:
    """ApiSaturated fires with job="api" in its test: a route for other jobs leaves it with the root."""
    routed.write("routing", ROUTING.replace('job=~"api|web"', 'job="web"'))
    assert routed.build_fails() == [
        "rules_src/services.py:20: alert ApiSaturated: reaches only the root route's receiver 'triage' with"
        ' {alertname="ApiSaturated", job="api", severity="warning", team="api"}; add a route for it, or name it'
        " in Alertmanager(unrouted=...) with the reason",
    ]


def test_a_severity_no_route_matches_fails_at_the_alertmanager(routed: Project) -> None:
    """The team's route takes the info alert, so only the missing severity route is reported."""
    routed.write(
        "expiry",
        """
        from compiler.dsl import Alert, RuleGroup

        expiry = RuleGroup(
            "expiry",
            rules=[Alert("ApiCertificateExpiring", expr="vector(1)", severity="info", labels={"team": "api"})],
        )
        """,
    )
    routed.write(
        "routing",
        routing(routes='\n            Route("api", matchers=[\'team="api"\']),', receivers=', Receiver("api")'),
    )
    assert routed.build_fails() == [
        "rules_src/routing.py:3: alertmanager: severity 'info' (ApiCertificateExpiring) has no route that matches"
        " it; route it, or name its alerts in unrouted=... with the reason",
    ]


# --- routes and inhibit rules that read labels no alert has ---------------------------------------------------


def test_a_route_matcher_on_a_label_no_alert_carries_fails_at_the_route(routed: Project) -> None:
    routed.write(
        "routing",
        routing(routes='\n            Route("db", matchers=[\'tema="db"\']),', receivers=', Receiver("db")'),
    )
    assert routed.build_fails() == [
        "rules_src/routing.py:9: route: matcher tema=\"db\" reads label 'tema', which no alert carries (declare"
        " labels Prometheus adds in Alertmanager(external_labels=...))",
    ]


def test_a_route_matcher_on_an_external_label_is_accepted(routed: Project) -> None:
    routed.write(
        "routing",
        routing(
            routes='\n            Route("staging", matchers=[\'cluster="staging"\']),',
            receivers=', Receiver("staging")',
            alertmanager='\n    external_labels=["cluster"],',
        ),
    )
    routed.build()


def test_an_inhibit_rule_side_that_matches_no_alert_fails_at_the_rule(routed: Project) -> None:
    rule = "\n    inhibit_rules=[InhibitRule(source=['severity=\"page\"'], target=['severity=\"warning\"'])],"
    routed.write("routing", routing(alertmanager=rule))
    assert routed.build_fails() == ["rules_src/routing.py:12: inhibit rule: its source matches no alert"]


def test_an_inhibit_rule_equal_label_a_side_lacks_fails_at_the_rule(routed: Project) -> None:
    """ApiSaturated has no `instance`: every critical alert without one would mute it, whatever its instance."""
    rule = (
        "\n    inhibit_rules=[\n"
        '        InhibitRule(source=[\'severity="critical"\'], target=[\'severity="warning"\'], equal=["instance"]),\n'
        "    ],"
    )
    routed.write("routing", routing(alertmanager=rule))
    assert routed.build_fails() == [
        "rules_src/routing.py:13: inhibit rule: equal label 'instance' is missing on target alerts ApiSaturated, and"
        " a missing label equals every other missing one",
    ]


# --- routing tests ------------------------------------------------------------------------------------------------


def test_a_failing_route_test_fails_at_the_test(routed: Project) -> None:
    test = '\n    tests=[RouteTest(labels={"severity": "warning", "job": "api"}, receivers=["pager", "chat"])],'
    routed.write("routing", routing(alertmanager=test))
    assert routed.build_fails() == [
        'rules_src/routing.py:12: route test: {job="api", severity="warning"} reaches chat, not pager, chat',
    ]


def test_a_route_test_of_grouping_fails_when_the_route_groups_otherwise(routed: Project) -> None:
    test = '\n    tests=[RouteTest(labels={"severity": "critical"}, receivers=["pager"], group_by=["alertname"])],'
    routed.write("routing", routing(alertmanager=test))
    assert routed.build_fails() == [
        'rules_src/routing.py:12: route test: {severity="critical"} is grouped by [] at receiver pager, not'
        " ['alertname']",
    ]


def test_a_failing_inhibit_test_fails_at_the_test(routed: Project) -> None:
    test = """
    inhibit_rules=[InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["team"])],
    tests=[
        InhibitTest(
            firing=[{"severity": "critical", "team": "api"}],
            inhibited=[{"severity": "warning", "team": "db"}],
            not_inhibited=[{"severity": "warning", "team": "api"}],
        ),
    ],"""
    routed.write("routing", routing(alertmanager=test))
    assert routed.build_fails() == [
        'rules_src/routing.py:14: inhibit test: {severity="warning", team="db"} is not inhibited',
        'rules_src/routing.py:14: inhibit test: {severity="warning", team="api"} is inhibited by'
        ' {severity="critical", team="api"} (the rule at line 12)',
    ]


# --- one configuration, and nothing left out of it --------------------------------------------------------------


def test_a_second_alertmanager_is_one_problem_at_its_line(routed: Project) -> None:
    """The first one (in file order) is the project's; the second is reported once, not each of its parts."""
    routed.write("paging", ROUTING)
    assert routed.build_fails() == [
        "rules_src/routing.py:3: alertmanager: a project has one Alertmanager configuration (first at"
        " rules_src/paging.py:3)",
    ]


def test_an_alertmanager_imported_into_another_module_is_the_same_one(routed: Project) -> None:
    routed.write("reexport", "from rules_src.routing import alertmanager\n\nconfiguration = alertmanager\n")
    routed.build()


def test_a_route_left_out_of_the_alertmanager_fails_at_its_line(routed: Project) -> None:
    routed.write(
        "routing",
        ROUTING + '\nspare = Route("tickets", matchers=[\'severity="info"\'])\nReceiver("tickets")\n',
    )
    assert routed.build_fails() == [
        "rules_src/routing.py:24: route: not part of the Alertmanager configuration, so it would never be emitted",
        "rules_src/routing.py:25: receiver tickets: not part of the Alertmanager configuration, so it would never be"
        " emitted",
    ]


def test_a_broken_matcher_fails_at_the_routes_line(routed: Project) -> None:
    routed.write("routing", ROUTING.replace('severity="critical"\']),', 'severity=="critical"\']),', 1))
    assert routed.build_fails() == [
        "rules_src/routing.py:8: route: matchers.0: matcher 'severity==\"critical\"': quote a value that holds"
        " '\"', '{', '}' or ','",
    ]


def test_an_unrouted_name_no_alert_has_is_a_problem(routed: Project) -> None:
    """A renamed or deleted alert would otherwise leave a reason behind that excuses nothing."""
    routed.write("routing", routing(alertmanager='\n    unrouted={"Watchdgo": "the dead man\'s switch"},'))
    assert routed.build_fails() == [
        "rules_src/routing.py:3: alertmanager: unrouted names 'Watchdgo', which no alerting rule defines",
    ]
