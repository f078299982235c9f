"""The promql/* checks on one query at a time: what each must find, and the many things it must leave alone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import promql_parser
import pytest

from compiler.dsl.metrics import Metric
from compiler.lint.check import QueryCheck
from compiler.lint.checks.promql_deriv_on_counter import DerivOnCounter
from compiler.lint.checks.promql_high_cardinality import HighCardinality
from compiler.lint.checks.promql_histogram_quantile_le import HistogramQuantileLe
from compiler.lint.checks.promql_match_everything import MatchEverything, matches_everything
from compiler.lint.checks.promql_metric_undeclared import MetricUndeclared
from compiler.lint.checks.promql_range_too_short import RangeTooShort
from compiler.lint.checks.promql_rate_of_sum import RateOfSum
from compiler.lint.checks.promql_rate_on_gauge import RateOnGauge
from compiler.lint.subjects import LintContext, Query
from compiler.load.metrics import Catalogue, build_catalogue
from compiler.problems import SourceLocation
from compiler.promql.grafana_variables import parse_query
from compiler.settings.lint import LintSettings

CATALOGUE = build_catalogue(
    [
        Metric("http_requests_total", type="counter", labels=["method", "route", "code"]),
        Metric("http_request_duration_seconds", type="histogram", labels=["route"]),
        Metric("rpc_duration_seconds", type="summary", labels=["service"]),
        Metric("queue_depth", type="gauge", labels=["queue"]),
        Metric("search_queries_total", type="counter", labels=["index", "user_id"]),
    ]
)[0]


def messages(
    check: QueryCheck, expr: str, *, catalogue: Catalogue = CATALOGUE, dashboard: bool = False, **settings: Any
) -> list[str]:
    """What the check reports on `expr`, as a rule's query (or a dashboard's, with its `$variables`)."""
    ast = parse_query(expr) if dashboard else promql_parser.parse(expr)
    query = Query(expr, ast, "alert Example", SourceLocation(Path("rules_src/example.py"), 1), in_dashboard=dashboard)
    context = LintContext(LintSettings(**settings), catalogue, timedelta(minutes=1))
    return [report.message for report in check.check(query, context)]


# promql/rate-on-gauge


@pytest.mark.parametrize(
    "expr",
    [
        "rate(queue_depth[5m])",
        "increase(rpc_duration_seconds[1h])",
        "resets(node_hwmon_temp_celsius[1h])",
        "sum(irate(cache_hit_ratio[5m]))",
        "rate(up[5m])",
        "rate(job:http_requests:rate5m[5m])",
        "rate(queue_depth[10m:1m])",
    ],
)
def test_rate_on_gauge_finds(expr: str) -> None:
    assert len(messages(RateOnGauge(), expr)) == 1


@pytest.mark.parametrize(
    "expr",
    [
        "rate(http_requests_total[5m])",
        "rate(http_request_duration_seconds_bucket[5m])",
        "rate(rpc_duration_seconds_count[5m])",
        "rate(http_request_duration_seconds[5m])",  # a declared histogram's native form
        "histogram_quantile(0.9, sum(rate(payment_duration_seconds[5m])))",  # native histogram, undeclared
        "rate(elasticsearch_indices_search_query_time_seconds[5m])",  # a counter despite its name
        "rate(junos_interface_transmit_bytes[5m])",
        "rate(pg_stat_database_xact_commit[5m])",  # no telling suffix
        "rate(job:http_requests_total:sum[5m])",
        "deriv(queue_depth[5m])",
    ],
)
def test_rate_on_gauge_leaves_alone(expr: str) -> None:
    assert messages(RateOnGauge(), expr) == []


def test_rate_on_gauge_names_why() -> None:
    assert messages(RateOnGauge(), "rate(queue_depth[5m])") == [
        "rate() over queue_depth, declared a gauge, not a counter: use deriv() or delta() for a gauge"
    ]
    assert "a summary's quantiles" in messages(RateOnGauge(), "rate(rpc_duration_seconds[5m])")[0]


def test_rate_on_gauge_falls_back_to_names_without_catalogue() -> None:
    assert messages(RateOnGauge(), "rate(queue_depth[5m])", catalogue=Catalogue()) == []
    assert len(messages(RateOnGauge(), "rate(disk_used_ratio[5m])", catalogue=Catalogue())) == 1


# promql/deriv-on-counter


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ("deriv(http_requests_total[10m])", ["rate()"]),
        ("delta(mail_delivered_total[1h]) == 0", ["increase()"]),
        ("idelta(rpc_duration_seconds_count[5m])", ["irate()"]),
        ("deriv(queue_depth[10m])", []),
        ("delta(node_hwmon_temp_celsius[10m])", []),
        ("predict_linear(node_filesystem_avail_bytes[6h], 4 * 3600) < 0", []),
    ],
)
def test_deriv_on_counter(expr: str, found: list[str]) -> None:
    assert [message.rsplit("use ", 1)[1] for message in messages(DerivOnCounter(), expr)] == found


# promql/range-too-short


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ("rate(http_requests_total[1m])", 1),
        ("rate(http_requests_total[3m]) / rate(http_requests_total[2m])", 2),
        ("rate(http_requests_total[4m])", 0),
        ("max_over_time(up[30s])", 1),
        ("max_over_time(rate(http_requests_total[5m])[2m:1m])", 1),
        ("max_over_time(rate(http_requests_total[5m])[2m:15s])", 0),  # eight steps
        ("max_over_time(rate(http_requests_total[5m])[3m:])", 1),  # the 1m evaluation interval
        ("up == 0", 0),
    ],
)
def test_range_too_short(expr: str, found: int) -> None:
    assert len(messages(RangeTooShort(), expr)) == found


def test_range_too_short_follows_the_settings() -> None:
    assert messages(RangeTooShort(), "rate(http_requests_total[1m])", scrape_interval="15s") == []
    assert len(messages(RangeTooShort(), "rate(http_requests_total[5m])", range_factor=6)) == 1


@pytest.mark.parametrize(
    "expr",
    [
        "sum(rate(http_requests_total{job=~'$job'}[$__rate_interval]))",
        "sum(increase(http_requests_total[$__range]))",
        "max_over_time(up[$__interval])",
        "rate(http_requests_total[${window}])",
    ],
)
def test_range_too_short_leaves_dashboard_variables_alone(expr: str) -> None:
    assert messages(RangeTooShort(), expr, dashboard=True) == []


def test_range_too_short_message() -> None:
    assert messages(RangeTooShort(), "rate(x_total[1m])") == [
        "[1m] spans fewer than 4 scrapes 1m apart, so one missed scrape can leave it empty; use at least [4m]"
    ]


# promql/histogram-quantile-le


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ("histogram_quantile(0.9, sum by (job) (rate(x_bucket[5m])))", "without its le label"),
        ("histogram_quantile(0.9, sum(rate(x_bucket[5m])))", "without its le label"),
        ("histogram_quantile(0.9, sum by (job) (job_le:x_bucket:rate5m))", "without its le label"),
        ("histogram_quantile(0.9, sum by (route) (rate(http_request_duration_seconds_bucket[5m])))", "le"),
        ("histogram_quantile(0.9, rate(http_requests_total[5m]))", "has no buckets"),
        ("histogram_quantile(0.9, sum by (le) (rate(x_sum[5m])))", "has no buckets"),
        ("histogram_quantile(0.9, rpc_duration_seconds)", "has no buckets"),  # a declared summary
    ],
)
def test_histogram_quantile_le_finds(expr: str, found: str) -> None:
    reported = messages(HistogramQuantileLe(), expr)
    assert len(reported) == 1 and found in reported[0], reported


@pytest.mark.parametrize(
    "expr",
    [
        "histogram_quantile(0.9, sum by (job, le) (rate(x_bucket[5m])))",
        "histogram_quantile(0.9, sum without (instance) (rate(x_bucket[5m])))",
        "histogram_quantile(0.9, sum without (instance) (rate(http_request_duration_seconds_bucket[5m])))",
        "histogram_quantile(0.9, rate(x_bucket[5m]))",
        "histogram_quantile(0.9, job_le:x_bucket:rate5m)",
        "histogram_quantile(0.9, sum by (job) (job:x_latency:rate5m))",  # a recording rule: may be native
        "histogram_quantile(0.9, sum by (job) (rate(x_seconds[5m])))",  # a native histogram
        "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])) / ignoring (le) group_left sum(rate(x_count[5m])))",
        "histogram_quantile(0.99, sum by (le, route) (rate(x_bucket{route=~'$route'}[$__rate_interval])))",
    ],
)
def test_histogram_quantile_le_leaves_alone(expr: str) -> None:
    assert messages(HistogramQuantileLe(), expr, dashboard="$" in expr) == []


# promql/rate-of-sum


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ("rate(sum(http_requests_total)[5m:])", ["sum(rate(...[5m]))"]),
        ("increase((max by (job) (x_total))[1h:1m])", ["max(increase(...[1h]))"]),
        ("sum(rate(http_requests_total[5m]))", []),
        ("rate(http_requests_total[5m:1m])", []),
        ("rate(count(up)[5m:])", []),  # a gauge: rate-on-gauge's domain, not resets
        ("max_over_time(sum(rate(x_total[5m]))[1h:])", []),
        ("deriv(sum(queue_depth)[10m:])", []),
    ],
)
def test_rate_of_sum(expr: str, found: list[str]) -> None:
    assert [message.rsplit(": ", 1)[1] for message in messages(RateOfSum(), expr)] == found


# promql/match-everything


@pytest.mark.parametrize(
    ("regex", "everything"),
    [
        (".*", True),
        (".*?", True),
        ("^.*$", True),
        ("(.*)", True),
        ("((.*))", True),
        ("(?:.*)", True),
        ("(?s).*", True),
        ("api|.*", True),
        ("", False),
        (".+", False),
        (".*api.*", False),
        ("api.*", False),
        ("\\.*", False),
        ("[.*]", False),
        ("(a)|(.*)", False),  # too clever to judge: left alone
        ("$job", False),
    ],
)
def test_matches_everything(regex: str, everything: bool) -> None:
    assert matches_everything(regex) is everything


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ('up{job=~".*"}', 1),
        ('up{job=~".*", instance=~".*"}', 2),
        ('up{job="api" or instance=~".*"}', 1),
        ('up{job!~""}', 0),  # the label must be set: a real filter
        ('up{job=~".+"}', 0),
        ('up{job!~".*"}', 0),  # matches nothing: not this check's business
        ('up{job=".*"}', 0),  # the literal value ".*"
    ],
)
def test_match_everything(expr: str, found: int) -> None:
    assert len(messages(MatchEverything(), expr)) == found


def test_match_everything_leaves_dashboard_variables_alone() -> None:
    assert messages(MatchEverything(), 'up{job=~"$job", instance=~"${instance:regex}"}', dashboard=True) == []


# promql/high-cardinality


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ("sum by (user_id) (rate(api_calls_total[5m]))", ["sum by (user_id)"]),
        ("sum by (job, request_id, email) (rate(api_calls_total[5m]))", ["sum by (email)", "sum by (request_id)"]),
        ("sum without (instance) (rate(search_queries_total[5m]))", ["sum without (instance)"]),
        ("sum without (instance, user_id) (rate(search_queries_total[5m]))", []),
        ("sum without (instance) (rate(api_calls_total[5m]))", []),  # undeclared: can't tell what it keeps
        ("count(count by (user_id) (rate(api_calls_total[5m]) > 0))", []),
        ("count by (job) (sum by (job, user_id) (rate(api_calls_total[5m])))", []),
        ("topk(10, sum by (user_id) (rate(api_calls_total[5m])))", []),
        ('sum by (user_id) (rate(api_calls_total{user_id="42"}[5m]))', []),
        ("sum by (job) (rate(api_calls_total[5m])) and on (job) count by (job, user_id) (api_calls_total)", []),
        ("sum by (customer) (rate(api_calls_total[5m]))", []),
    ],
)
def test_high_cardinality(expr: str, found: list[str]) -> None:
    assert [message.split(" makes")[0] for message in messages(HighCardinality(), expr)] == found


def test_high_cardinality_leaves_a_dashboard_variable_alone() -> None:
    expr = 'sum by (user_id) (rate(api_calls_total{user_id=~"$user"}[$__rate_interval]))'
    assert messages(HighCardinality(), expr, dashboard=True) == []


def test_high_cardinality_follows_the_settings() -> None:
    expr = "sum by (tenant) (rate(api_calls_total[5m]))"
    assert messages(HighCardinality(), expr) == []
    assert len(messages(HighCardinality(), expr, high_cardinality_labels=("tenant",))) == 1
    assert messages(HighCardinality(), "sum by (user_id) (x)", high_cardinality_labels=()) == []


# promql/metric-undeclared


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        ("rate(http_requests_totl[5m])", ["http_requests_totl"]),
        ("rate(http_requests_total[5m]) / rate(api_calls_total[5m]) > rate(api_calls_total[1h])", ["api_calls_total"]),
        ("histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))", []),
        ("histogram_quantile(0.9, rate(http_request_duration_seconds[5m]))", []),  # native form
        ("rpc_duration_seconds{quantile='0.99'} > rpc_duration_seconds_sum", []),
        ("job:http_requests:rate5m > 10", []),
        ("up == 0 or absent(up) or scrape_duration_seconds > 10 or scrape_samples_scraped == 0", []),
        ('ALERTS{alertstate="firing"} or ALERTS_FOR_STATE', []),
        ("sum(rate({__name__=~'http_.*'}[5m]))", []),
    ],
)
def test_metric_undeclared(expr: str, found: list[str]) -> None:
    assert [message.split(" ")[0] for message in messages(MetricUndeclared(), expr)] == found


def test_metric_undeclared_is_silent_without_a_catalogue() -> None:
    assert messages(MetricUndeclared(), "rate(anything_total[5m])", catalogue=Catalogue()) == []


def test_metric_undeclared_leaves_a_dashboard_variable_alone() -> None:
    assert messages(MetricUndeclared(), "rate($metric[$__rate_interval])", dashboard=True) == []
