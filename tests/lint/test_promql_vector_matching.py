"""`promql/vector-matching`: binary operations whose sides can never match, `on (...)` labels one side
lacks and `group_left (...)` labels the other side lacks; then the three alerts of issue 15 as a team writes
them, through `moncc lint`, and their corrections."""

from __future__ import annotations

import json

import pytest

from compiler.lint.checks.promql_vector_matching import VectorMatching
from tests.conftest import ProjectFactory
from tests.lint.label_queries import reports


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        # different values of a label both sides always carry
        (
            'db_connections{state="available"} / db_connections{state="total"} < 0.1',
            [
                '`/` never matches: the left side selects state="available", the right side state="total", and '
                "one-to-one matching compares every label, so the result is always empty; match ignoring (state)"
            ],
        ),
        ('undeclared{state="a"} / undeclared{state="b"}', ["`/` never matches"]),
        (
            'sum by (state) (db_connections{state=~"idle|busy"}) / sum by (state) (db_connections{state="total"})',
            ["`/` never matches"],
        ),
        ('db_connections{state="a"} / on (job, state) db_connections{state="b"}', ["`/` never matches"]),
        ('db_connections{state="a"} and db_connections{state="b"}', ["`and` never matches"]),
        ('db_connections{state="a"} unless db_connections{state="b"}', ["`unless` never matches"]),
        ("job_route:http_errors:ratio_rate5m / job_route:http_latency:ratio_rate5m", ["`/` never matches"]),
        # a label one side always carries and the other never does
        (
            "pg_stat_database_numbackends / pg_settings_max_connections",
            [
                "`/` never matches: every series of the left side carries datname, none of the right side does, and "
                "one-to-one matching compares every label, so the result is always empty; aggregate datname away, or "
                "match ignoring (datname) with group_left if the left side has more series"
            ],
        ),
        ("rate(ws_errors_total[5m]) / rate(ws_messages_sent_total[5m])", ["`/` never matches"]),
        (
            "sum by (job, error_type) (rate(ws_errors_total[5m])) / sum by (job) (rate(undeclared_total[5m]))",
            ["`/` never matches"],
        ),
        (
            "rate(http_request_duration_seconds_bucket[5m]) / rate(http_request_duration_seconds_count[5m])",
            ["`/` never matches"],
        ),
        ("sum by (job) (rate(http_requests_total[5m])) / on (job, instance) up", ["`/` never matches"]),
        (
            "sum by (job) (rate(http_requests_total[5m])) / ignoring (code) sum by (job, instance) (up)",
            ["`/` never matches"],
        ),
        (
            "rate(http_requests_total[5m]) / ignoring (code) group_left sum by (job, instance) (up)",
            ["`/` never matches"],
        ),
        ("pg_stat_database_numbackends > 0 unless on (datname) up", ["`unless` never matches"]),
        ("rate(http_requests_total[5m]) / vector(1)", ["`/` never matches"]),
        # once, where the sides first part: what an empty result meets later is not reported again
        (
            'x{state="current"} / (x{state="current"} + x{state="available"}) * 100 > 80 and sum(x) > 0',
            ["`+` never matches"],
        ),
        # awesome-prometheus-alerts' Mimir limits: `ignoring (limit)` on the left of `and` only
        (
            '(series / ignoring (limit) limits{limit="max_series"} * 100 > 80) and limits{limit="max_series"} > 0',
            ["`and` never matches: every series of the right side carries limit, none of the left side does"],
        ),
        # on (...) naming a label one side lacks, where the other may or may not carry it
        (
            "sum by (job) (rate(http_requests_total[5m])) / on (job, instance) rate(undeclared_total[5m])",
            [
                "on (job, instance): the left side has no label instance, so only right series without instance "
                "can match; drop instance from on (), or keep it on the left side"
            ],
        ),
        # group_left (...) copying a label the one side lacks
        (
            "build_info * on (job, instance) group_left (version) up",
            [
                "group_left (version): the right side, which it copies from, has no label version (it has instance, "
                "job), so the result carries none"
            ],
        ),
        ("up * on (job) group_left (version) sum by (job) (build_info)", ["group_left (version)"]),
        ("sum by (job) (build_info) * on (job) group_right (version) up", ["group_right (version)"]),
        ("rate(http_requests_total[5m]) * on (job, instance) group_left (version) up", []),  # promql/label-unknown
        # they can match
        ('db_connections{state="available"} / ignoring (state) db_connections{state="total"}', []),
        ('db_connections{state=~"a|b"} / db_connections{state="b"}', []),
        ('db_connections{state="a"} or db_connections{state="b"}', []),
        ('db_connections{state="a"} / on (job, instance) db_connections{state="b"}', []),
        ("sum without (datname) (pg_stat_database_numbackends) / pg_settings_max_connections", []),
        ("pg_stat_database_numbackends / on (job, instance) group_left pg_settings_max_connections", []),
        ("sum by (job) (rate(ws_errors_total[5m])) / sum by (job) (rate(ws_messages_sent_total[5m]))", []),
        (
            "sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])) / ignoring (le) group_left sum by (job) (rate(http_request_duration_seconds_count[5m]))",
            [],
        ),
        ("rate(x_total[5m]) / rate(y_total[5m])", []),
        ("sum by (job) (rate(x_total[5m])) / sum by (job, instance) (rate(y_total[5m]))", []),
        ("rate(http_requests_total[5m]) / rate(undeclared_total[5m])", []),
        ("up * on (job) group_left (version) build_info", []),
        ("rate(x_total[5m]) * on (instance) group_left (nodename) node_uname_info", []),
        ("sum(rate(http_requests_total[5m])) / sum(up) > 2", []),
        ("up == 0 and on () hour() > 8", []),
        ("sum(rate(http_requests_total[5m])) / vector(2)", []),
        ('absent(up{job="api"}) and on (job) up{job="api"}', []),
        ("http_requests_total > 0 or up", []),
    ],
)
def test_vector_matching(expr: str, found: list[str]) -> None:
    messages = reports(VectorMatching(), expr)
    assert len(messages) == len(found), messages
    for text, message in zip(found, messages, strict=True):
        assert message.startswith(text), message


@pytest.mark.parametrize(
    "expr",
    [
        'db_connections{state="$state"} / db_connections{state="total"}',
        "sum by (job) (rate(http_requests_total[5m])) / on ($on) up",
        "sum by ($group) (rate(http_requests_total[$__rate_interval])) / sum by ($group) (up)",
        "up * on (job) group_left ($label) build_info",
        'rate(ws_errors_total{job=~"$job"}[$__rate_interval]) / rate(ws_errors_total{job="api"}[$__rate_interval])',
    ],
)
def test_dashboard_variables_stand_for_any_label_or_value(expr: str) -> None:
    assert reports(VectorMatching(), expr, dashboard=True) == []


CATALOGUE = """\
from compiler.dsl import Metric

metrics = [
    Metric("db_connections", type="gauge", labels=["state"], help="Database connections, by state."),
    Metric("pg_stat_database_numbackends", type="gauge", labels=["datname"], help="Backends per database."),
    Metric("pg_settings_max_connections", type="gauge", help="max_connections."),
    Metric("ws_errors_total", type="counter", labels=["error_type"], help="WebSocket errors."),
    Metric("ws_messages_sent_total", type="counter", labels=["message_type"], help="WebSocket messages sent."),
]
"""
ALERTS = """\
from compiler.dsl import Alert, RuleGroup

database = RuleGroup("database", [
    Alert(
        "DatabaseConnectionsExhausted",
        expr='db_connections{{state="available"}} {ratio} db_connections{{state="total"}} < 0.1',
        for_="5m",
        severity="critical",
        summary="{{{{ $labels.instance }}}} has almost no connections left",
    ),
    Alert(
        "PostgresConnectionsHigh",
        expr="{backends} / pg_settings_max_connections > 0.9",
        for_="5m",
        severity="warning",
        summary="{{{{ $labels.instance }}}} uses 90% of its connections",
    ),
])
"""
DASHBOARD = """\
from grafanalib.core import Dashboard, Target, TimeSeries

from compiler.dsl.dashboards import DATASOURCE

gateway = Dashboard(
    title="WebSocket gateway",
    uid="websocket-gateway",
    panels=[
        TimeSeries(
            title="Error ratio",
            dataSource=DATASOURCE,
            unit="percentunit",
            targets=[Target(expr="{errors} / {sent}")],
        ),
    ],
)
"""
WRONG = {"ratio": "/", "backends": "pg_stat_database_numbackends"}
RIGHT = {"ratio": "/ ignoring (state)", "backends": "sum without (datname) (pg_stat_database_numbackends)"}


def _findings(make_project: ProjectFactory, alerts: dict[str, str], errors: str, sent: str) -> list[tuple[str, int]]:
    project = make_project(metrics=CATALOGUE, database=ALERTS.format(**alerts))
    dashboard = DASHBOARD.replace("{errors}", errors).replace("{sent}", sent)
    (project.root / "dashboards_src").mkdir()
    (project.root / "dashboards_src" / "gateway.py").write_text(dashboard, encoding="utf-8")
    result = project.run("lint", "--format", "json")
    assert result.crash is None and result.exit_code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    return [(f["path"], f["line"]) for f in findings if f["check"] == "promql/vector-matching"]


def test_the_alerts_of_issue_15_can_never_fire(make_project: ProjectFactory) -> None:
    found = _findings(
        make_project,
        WRONG,
        "sum(rate(ws_errors_total[$__rate_interval]))",
        "rate(ws_messages_sent_total[$__rate_interval])",
    )
    assert found == [("dashboards_src/gateway.py", 10), ("rules_src/database.py", 6), ("rules_src/database.py", 13)]
    found = _findings(make_project, WRONG, "rate(ws_errors_total[5m])", "rate(ws_messages_sent_total[5m])")
    assert ("dashboards_src/gateway.py", 10) in found


def test_their_corrections_lint_clean(make_project: ProjectFactory) -> None:
    found = _findings(
        make_project,
        RIGHT,
        "sum by (job) (rate(ws_errors_total[$__rate_interval]))",
        "sum by (job) (rate(ws_messages_sent_total[$__rate_interval]))",
    )
    assert found == []
