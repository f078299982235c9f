"""A catalogue of metrics and recording rules, and one query at a time through a label check, for the tests of
`promql/label-unknown`, `promql/label-missing` and `promql/vector-matching`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from compiler.dsl import Alert, Metric, RuleGroup
from compiler.lint.check import QueryCheck
from compiler.lint.subjects import LintContext, Query, linted_rule
from compiler.load.metrics import Catalogue, RecordedSeries, build_catalogue
from compiler.problems import SourceLocation
from compiler.promql.grafana_variables import parse_query
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings

RECORDS = Path("rules_src/records.py")
METRICS = [
    Metric("http_requests_total", type="counter", labels=["method", "route", "code"]),
    Metric("http_request_duration_seconds", type="histogram", labels=["route"]),
    Metric("rpc_duration_seconds", type="summary", labels=["service"]),
    Metric("build_info", type="gauge", labels=["version"]),
    Metric("db_connections", type="gauge", labels=["state"]),
    Metric("pg_stat_database_numbackends", type="gauge", labels=["datname"]),
    Metric("pg_settings_max_connections", type="gauge"),
    Metric("ws_errors_total", type="counter", labels=["error_type"]),
    Metric("ws_messages_sent_total", type="counter", labels=["message_type"]),
]
RECORDED = [
    ("job:http_requests:rate5m", "sum by (job) (rate(http_requests_total[5m]))", {}),
    ("job_route:http_errors:ratio_rate5m", "sum by (job, route) (rate(x_total[5m]))", {"slo": "availability"}),
    ("job_route:http_latency:ratio_rate5m", "sum by (job, route) (rate(y_total[5m]))", {"slo": "latency"}),
    ("job:undeclared:rate5m", "sum by (job) (rate(undeclared_total[5m]))", {}),
]


def catalogue(target_labels: tuple[str, ...] = ()) -> Catalogue:
    records = (
        RecordedSeries(name, parse_expr(expr), labels, SourceLocation(RECORDS, line))
        for line, (name, expr, labels) in enumerate(RECORDED, start=1)
    )
    return build_catalogue(METRICS)[0].with_rules(records, target_labels)


def reports(
    check: QueryCheck,
    expr: str,
    *,
    dashboard: bool = False,
    target_labels: tuple[str, ...] = (),
    templates: Mapping[str, str] | None = None,
) -> list[str]:
    """What the check reports on `expr`: a rule's query, an alert's with these annotations, or a dashboard's."""
    if templates is not None:
        alert = Alert("Example", expr=expr, severity="warning", annotations=templates)
        query = linted_rule(alert, RuleGroup("example", [alert]), parse_expr(expr)).query
    else:
        ast = parse_query(expr) if dashboard else parse_expr(expr)
        query = Query(
            expr, ast, "alert Example", SourceLocation(Path("rules_src/example.py"), 1), in_dashboard=dashboard
        )
    context = LintContext(LintSettings(target_labels=target_labels), catalogue(target_labels), timedelta(minutes=1))
    return [report.message for report in check.check(query, context)]


def subjects(messages: list[str]) -> list[str]:
    """What each message is about: its text up to the first colon."""
    return [message.split(":")[0] for message in messages]
