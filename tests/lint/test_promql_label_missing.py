"""`promql/label-missing`: labels a query names after it (or the recording rule it reads) removed them; the
typos and one-sided joins other checks report are left to them."""

from __future__ import annotations

import pytest

from compiler.lint.checks.promql_label_missing import LabelMissing
from tests.lint.label_queries import reports


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        (
            "sum by (route) (sum by (job) (rate(http_requests_total[5m])))",
            ["sum by (route): the series it aggregates no longer carry route (it has job)"],
        ),
        ("sum by (route) (sum by (job) (rate(undeclared_total[5m])))", ["sum by (route)"]),
        ("sum by (job, route) (job:http_requests:rate5m)", ["sum by (job, route)"]),
        ("sum by (job, route) (job:undeclared:rate5m)", ["sum by (job, route)"]),
        (
            "max by (instance) (histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))))",
            ["max by (instance)"],
        ),
        (
            'job:http_requests:rate5m{route="/login"}',
            ["job:http_requests:rate5m has no label route (it has job): its recording rule at rules_src/records.py:1"],
        ),
        ('job:http_requests:rate5m{route=""}', []),
        (
            "sum by (job) (rate(x_total[5m])) / on (job, route) sum by (job) (rate(y_total[5m]))",
            ["on (job, route): neither side carries route any more (the left side has job, the right side has job)"],
        ),
        ("sum by (job) (rate(http_requests_total[5m])) / on (job, instance) sum by (job) (up)", ["on (job, instance)"]),
        # redundant, not wrong
        ("sum without (code) (sum by (job) (rate(http_requests_total[5m])))", []),
        ("sum by (job) (rate(x_total[5m])) / ignoring (le) sum by (job) (rate(y_total[5m]))", []),
        # kept
        ("sum by (job, route) (rate(http_requests_total[5m]))", []),
        ("sum by (job, route) (job_route:http_errors:ratio_rate5m)", []),
        ("sum by (job, route) (rate(undeclared_total[5m]))", []),
        ("sum by (version) (up * on (job) group_left (version) build_info)", []),
        ("sum by (job) (rate(http_requests_total[5m])) / on (job) sum by (job) (up)", []),
        # not this check's
        ("sum by (handler) (rate(http_requests_total[5m]))", []),  # promql/label-unknown
        ('http_requests_total{status="500"}', []),  # promql/label-unknown
        ("sum by (job) (rate(http_requests_total[5m])) / on (job, instance) up", []),  # promql/vector-matching
    ],
)
def test_label_missing(expr: str, found: list[str]) -> None:
    messages = reports(LabelMissing(), expr)
    assert len(messages) == len(found), messages
    for text, message in zip(found, messages, strict=True):
        assert message.startswith(text), message


@pytest.mark.parametrize(
    "expr",
    [
        "sum by ($group) (sum by (job) (rate(http_requests_total[$__rate_interval])))",
        "sum(rate(http_requests_total[5m])) / on ($on) sum(rate(http_requests_total[5m]))",
        "sum by (route) (sum by ($group) (rate(http_requests_total[$__rate_interval])))",
    ],
)
def test_dashboard_variables_stand_for_any_label(expr: str) -> None:
    assert reports(LabelMissing(), expr, dashboard=True) == []
