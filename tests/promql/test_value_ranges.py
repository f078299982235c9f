"""`ValueRanges`: the values an expression can take, where its syntax bounds them."""

from __future__ import annotations

import math

import pytest

from compiler.promql.parse import parse_expr
from compiler.promql.value_ranges import UNBOUNDED, ValueRange, ValueRanges, comparison_holds

INF = math.inf


class Declared:
    """The metrics catalogue as `ValueRanges` reads it: the bucket bounds of histograms."""

    def __init__(self, **buckets: tuple[float, ...]) -> None:
        self._buckets = buckets

    def buckets(self, name: str) -> tuple[float, ...] | None:
        return self._buckets.get(name)


DECLARED = Declared(ws_message_latency_seconds_bucket=(0.001, 0.01, 0.1, 1, 5, INF))
RECORDED = {
    "job:ws_message_latency_seconds:p95": [
        parse_expr("histogram_quantile(0.95, sum by (job, le) (rate(ws_message_latency_seconds_bucket[5m])))")
    ],
    "job:http_errors:ratio_rate5m": [
        parse_expr(
            'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))'
        )
    ],
    "loop:x:sum": [parse_expr("loop:x:sum + 1")],
}
RANGES = ValueRanges(
    DECLARED,
    never_negative=lambda name: name.endswith(("_total", "_bucket")),
    recorded=lambda name: RECORDED.get(name, []),
)


def bounds(expr: str) -> tuple[float, float]:
    found = RANGES.of(parse_expr(expr))
    return found.low, found.high


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("histogram_quantile(0.95, sum by (le) (rate(ws_message_latency_seconds_bucket[5m])))", (0, 5)),
        ("histogram_quantile(0.95, rate(ws_message_latency_seconds_bucket[5m])) * 1000", (0, 5000)),
        ("job:ws_message_latency_seconds:p95", (0, 5)),
        ('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))', (0, 1)),
        ('rate(http_requests_total{code="500"}[1h]) / rate(http_requests_total[1h])', (0, 1)),
        ('count(up{job="a"} == 0) / count(up{job="a"})', (0, 1)),
        ("job:http_errors:ratio_rate5m * 100", (0, 100)),
        ("1 - job:http_errors:ratio_rate5m", (0, 1)),
        ("rate(x[5m])", (0, INF)),
        ("increase(x[1h]) + 5", (5, INF)),
        ("-irate(x[1m])", (-INF, 0)),
        ("http_requests_total", (0, INF)),
        ("sum by (job) (rate(x[5m]))", (0, INF)),
        ("max_over_time(rate(x[5m])[1h:])", (0, INF)),
        ("a > bool 1", (0, 1)),
        ("clamp(a, 0, 100)", (0, 100)),
        ("clamp_max(rate(x[5m]), 10)", (0, 10)),
        ("clamp_min(a, 3)", (3, INF)),
        ("abs(a)", (0, INF)),
        ("count(a)", (1, INF)),
        ("hour()", (0, 23)),
        ("up", (0, 1)),
        ("7 * 24 * 3600", (604800, 604800)),
        ("rate(x[5m]) > 1", (0, INF)),
        ("1 < rate(x[5m])", (0, INF)),
        ("rate(x[5m]) or up", (0, INF)),
        ("rate(x[5m]) and a", (0, INF)),
        ("rate(x[5m]) / rate(y[5m])", (0, INF)),
        ("rate(x[5m]) / 2", (0, INF)),
        ("floor(clamp(a, 0.5, 2.5))", (0, 3)),
    ],
)
def test_bounded_values(expr: str, expected: tuple[float, float]) -> None:
    assert bounds(expr) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "a",
        "a:b:c",
        "loop:x:sum",
        "delta(a[5m])",
        "deriv(x_total[5m])",
        "rate(x[5m]) - rate(y[5m])",
        "rate(x[5m]) * a",
        "a / rate(x[5m])",
        "histogram_quantile(0.95, rate(other_bucket[5m]))",
        "histogram_quantile(1.5, rate(ws_message_latency_seconds_bucket[5m]))",
        "histogram_quantile(scalar(a), rate(ws_message_latency_seconds_bucket[5m]))",
        "histogram_quantile(0.9, rate(ws_message_latency_seconds_bucket[5m]) * on (job) group_left a)",
        'sum(rate(x{code="5xx"}[5m])) / sum(rate(x[1h]))',
        'sum(rate(x{code="5xx"}[5m])) / sum by (job) (rate(x[5m]))',
        'sum(rate(x[5m])) / sum(rate(x{code="5xx"}[5m]))',
        'sum(rate(x{code="5xx"}[5m])) / sum(rate(y[5m]))',
        'sum(a{code="5xx"}) / sum(a)',
        "round(rate(x[5m]), 10) - 100",
    ],
)
def test_unbounded_values(expr: str) -> None:
    found = RANGES.of(parse_expr(expr))
    assert not (found.low > -INF and found.high < INF), found


def test_without_a_catalogue_quantiles_are_unbounded() -> None:
    quantile = parse_expr("histogram_quantile(0.95, rate(ws_message_latency_seconds_bucket[5m]))")
    assert ValueRanges().of(quantile) == UNBOUNDED


def test_a_quantile_reaches_a_negative_lowest_bucket() -> None:
    ranges = ValueRanges(Declared(t_bucket=(-10, 0, 10, INF)))
    found = ranges.of(parse_expr("histogram_quantile(0.5, rate(t_bucket[5m]))"))
    assert (found.low, found.high) == (-10, 10)


def test_the_reason_names_what_bounds_the_values() -> None:
    quantile = RANGES.of(parse_expr("job:ws_message_latency_seconds:p95 * 1000"))
    assert quantile.reason == "a quantile of ws_message_latency_seconds lies within its buckets, up to 5"
    ratio = RANGES.of(parse_expr('sum(rate(x{code="500"}[5m])) / sum(rate(x[5m]))'))
    assert ratio.reason == "a part of x over its whole is in [0, 1]"
    assert RANGES.of(parse_expr("rate(x[5m])")).reason == "rate() is never negative"


@pytest.mark.parametrize(
    ("op", "left", "right", "holds"),
    [
        (">", ValueRange(0, 5), ValueRange(5, 5), False),
        (">=", ValueRange(0, 5), ValueRange(5, 5), None),
        (">=", ValueRange(0, 5), ValueRange(5.1, 5.1), False),
        ("<", ValueRange(0, INF), ValueRange(0, 0), False),
        ("<=", ValueRange(0, INF), ValueRange(0, 0), None),
        ("<", ValueRange(0, 1), ValueRange(99.9, 99.9), True),
        (">=", ValueRange(0, INF), ValueRange(0, 0), True),
        (">", ValueRange(0, 1), ValueRange(0.5, 0.5), None),
        ("==", ValueRange(0, 1), ValueRange(2, 2), False),
        ("!=", ValueRange(0, 1), ValueRange(2, 2), True),
        ("==", ValueRange(1, 1), ValueRange(1, 1), True),
        ("!=", ValueRange(1, 1), ValueRange(1, 1), False),
        (">", UNBOUNDED, ValueRange(5, 5), None),
        ("<", ValueRange(5, 5), ValueRange(0, 1), False),
    ],
)
def test_comparison_holds(op: str, left: ValueRange, right: ValueRange, holds: bool | None) -> None:
    assert comparison_holds(op, left, right) is holds
