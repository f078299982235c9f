"""`promql/impossible-comparison`: thresholds outside what an expression can take, through `moncc lint` and
rule by rule; and the comparisons that can go either way, which it must leave alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compiler.dsl import Alert, Metric, Record, RuleGroup
from compiler.lint.checks.promql_impossible_comparison import ImpossibleComparison
from compiler.lint.subjects import LintContext, linted_rule
from compiler.load.metrics import RecordedSeries, build_catalogue
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings
from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "promql/impossible-comparison"

CATALOGUE = build_catalogue(
    [
        Metric("ws_message_latency_seconds", type="histogram", buckets=[0.001, 0.01, 0.1, 0.5, 1, 5]),
        Metric("http_requests_total", type="counter", labels=["code"]),
        Metric("queue_depth", type="gauge"),
    ]
)[0]


def messages(expr: str, *records: tuple[str, str]) -> list[str]:
    """What the check reports on an alert with this expression, next to these recording rules."""
    rules = [Record(name, expr=recorded) for name, recorded in records]
    group = RuleGroup("g", [*rules, Alert("A", expr=expr, for_="5m")])
    linted = [linted_rule(rule, group, parse_expr(rule.expr)) for rule in group.rules]
    recorded = [RecordedSeries(rule.name, parse_expr(rule.expr), rule.labels, rule.location) for rule in rules]
    context = LintContext(LintSettings(), CATALOGUE.with_rules(recorded), timedelta(minutes=1))
    return [report.message for _, report in ImpossibleComparison().check(linted, context)]


HISTOGRAM_MODULE = """
    from compiler.dsl import Alert, Metric, RuleGroup

    latency = Metric(
        "ws_message_latency_seconds",
        type="histogram",
        buckets=[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    )

    group = RuleGroup("websocket", [
        Alert(
            "WebSocketMessageLatencyHigh",
            expr='''
                histogram_quantile(0.95, sum by (job, le) (rate(ws_message_latency_seconds_bucket[5m])))
                  > THRESHOLD
            ''',
            for_="10m",
            severity="warning",
            summary="{{ $labels.job }}: p95 message latency above THRESHOLD s",
            description="The 95th percentile of message latency on {{ $labels.job }} is {{ $value }} s.",
            runbook_url="https://runbooks.example.com/WebSocketMessageLatencyHigh",
        ),
    ])
"""


def test_the_issue_s_quantile_above_the_top_bucket_is_reported_at_its_line(make_project: ProjectFactory) -> None:
    linted = lint_example(make_project(), HISTOGRAM_MODULE.replace("THRESHOLD", "5"))
    found = [f for f in linted.findings if f["check"] == CHECK]
    assert [(f["line"], f["message"]) for f in found] == [
        (
            14,
            "alert WebSocketMessageLatencyHigh: `> 5` never holds: the left side is in [0, 5] (a quantile of "
            "ws_message_latency_seconds lies within its buckets, up to 5)",
        )
    ]


def test_the_corrected_quantile_lints_clean(make_project: ProjectFactory) -> None:
    linted = lint_example(make_project(), HISTOGRAM_MODULE.replace("THRESHOLD", "2.5"))
    assert linted.findings == []


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 1.5',
            "`> 1.5` never holds: the left side is in [0, 1] (a part of http_requests_total over its whole is in "
            "[0, 1])",
        ),
        ("rate(http_requests_total[5m]) < 0", "`< 0` never holds: the left side is >= 0 (rate() is never negative)"),
        ("0 > increase(queue_depth[1h])", "`0 >` never holds: the right side is >= 0 (increase() is never negative)"),
        (
            "http_requests_total < 0",
            "`< 0` never holds: the left side is >= 0 (http_requests_total is a counter, never negative)",
        ),
        ("count(up) == 0", "`== 0` never holds: the left side is >= 1 (count is at least 1)"),
        ("up > 1", "`> 1` never holds: the left side is in [0, 1] (up is 0 or 1)"),
        (
            "histogram_quantile(0.99, rate(ws_message_latency_seconds_bucket[5m])) * 1000 > 5000",
            "`> 5000` never holds: the left side is in [0, 5000] (a quantile of ws_message_latency_seconds lies "
            "within its buckets, up to 5)",
        ),
        (
            "job:ws_latency:p99 >= 5.5",
            "`>= 5.5` never holds: the left side is in [0, 5] (a quantile of ws_message_latency_seconds lies "
            "within its buckets, up to 5)",
        ),
        (
            'sum(rate(http_requests_total{code="200"}[5m])) / sum(rate(http_requests_total[5m])) < 99.9',
            "`< 99.9` always holds: the left side is in [0, 1] (a part of http_requests_total over its whole is "
            "in [0, 1])",
        ),
        (
            "clamp(queue_depth, 0, 10) > 10",
            "`> 10` never holds: the left side is in [0, 10] (clamp() keeps it in [0, 10])",
        ),
        (
            "(queue_depth > bool 5) == 2",
            "`== 2` never holds: the left side is in [0, 1] (a comparison with bool is 0 or 1)",
        ),
    ],
)
def test_impossible_comparisons(expr: str, message: str) -> None:
    record = (
        "job:ws_latency:p99",
        "histogram_quantile(0.99, sum by (job, le) (rate(ws_message_latency_seconds_bucket[5m])))",
    )
    assert messages(expr, record) == [message]


@pytest.mark.parametrize(
    "expr",
    [
        "histogram_quantile(0.95, rate(ws_message_latency_seconds_bucket[5m])) >= 5",
        "histogram_quantile(0.95, rate(ws_message_latency_seconds_bucket[5m])) > 2.5",
        "histogram_quantile(0.95, rate(other_latency_seconds_bucket[5m])) > 50",
        "histogram_quantile(0.95, rate(http_request_duration_seconds[5m])) > 50",
        'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) * 100 > 5',
        "sum(rate(errors_total[5m])) / sum(rate(http_requests_total[5m])) > 1.5",
        'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[1h])) > 1.5',
        "rate(http_requests_total[5m]) <= 0",
        "sum(rate(http_requests_total[5m])) == 0",
        "queue_depth < 0",
        "deriv(queue_depth[10m]) < 0",
        "count(up) > 0",
        'absent(up{job="api"}) == 1',
        "rate(http_requests_total[5m]) >= 0",
        "up == 0",
        "job:unknown:ratio > 1.5",
        "time() - queue_depth > 3600",
        "rate(http_requests_total[5m]) > rate(http_requests_total[1h])",
    ],
)
def test_comparisons_that_can_go_either_way_are_left_alone(expr: str) -> None:
    assert messages(expr) == []


def test_a_recorded_series_read_by_its_own_rule_does_not_loop() -> None:
    assert messages("job:x:sum > 1", ("job:x:sum", "job:x:sum + rate(http_requests_total[5m])")) == []
