"""The `promql/impossible-comparison` check."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import promql_parser as promql

from compiler.lint.check import Report, RuleSetCheck
from compiler.lint.counters import is_counter
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule, Query
from compiler.problems import SourceLocation
from compiler.promql.nodes import COMPARISONS, function_name, is_scalar, operator, unwrap
from compiler.promql.selectors import metric_name, selectors
from compiler.promql.value_ranges import ValueRange, ValueRanges, comparison_holds


class ImpossibleComparison(RuleSetCheck):
    """A comparison whose threshold lies outside the values its expression can take never holds, or always does.

    A quantile of a histogram lies within its buckets: with a largest finite bucket of 5 s, Prometheus returns
    5 for any quantile that falls beyond it, so `histogram_quantile(0.95, ...) > 5` never fires, however slow
    the service gets. A part of a counter over its whole (`sum(rate(x{code=~"5.."}[5m])) / sum(rate(x[5m]))`)
    lies in [0, 1], so `> 1.5` never holds and `< 99.9` (a percentage compared with a ratio) always does.
    `rate()`, `increase()`, `irate()` and counters are never negative, so `< 0` never holds; `count()` is at
    least 1, so `count(...) == 0` never holds (a count of nothing is no series, not 0); `up` is 0 or 1.
    Arithmetic with constants carries the bounds (`ratio * 100` lies in [0, 100]), recorded series are
    followed to the rules that record them, and a comparison with `bool` is 0 or 1.

    The bucket bounds come from the catalogue: `Metric(..., type="histogram", buckets=[...])`. Counters are
    known as `promql/rate-on-gauge` knows them (declared, else by a `_total`, `_count`, `_sum` or `_bucket`
    name). A comparison that always holds is reported only against a range bounded on both sides and not a
    single value, where it is a mistake rather than an idiom (`count(...) > 0`, `absent(...) == 1`). Dashboard
    queries are not checked. Fix the threshold (the unit: seconds, not milliseconds; a ratio, not a
    percentage), or add a bucket above it to the histogram.
    """

    name = "promql/impossible-comparison"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Metric, RuleGroup

        latency = Metric(
            "ws_message_latency_seconds",
            type="histogram",
            buckets=[0.01, 0.05, 0.1, 0.5, 1, 5],
        )

        group = RuleGroup("websocket", [
            Alert(
                "WebSocketLatencyHigh",
                expr='''
                    histogram_quantile(0.95, sum by (job, le) (rate(ws_message_latency_seconds_bucket[5m])))
                      > 5  # bad: the largest finite bucket is 5, so the quantile never exceeds it
                ''',
                for_="10m",
                severity="warning",
            ),
            Alert(
                "ApiErrorsHigh",
                expr='''
                    sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
                      / sum by (job) (rate(http_requests_total[5m]))
                      > 5  # bad: a ratio, in [0, 1], compared with a percentage
                ''',
                for_="10m",
                severity="warning",
            ),
            Alert(
                "ApiTargetsGone",
                expr='count(up{job="api"}) == 0',  # bad: count() of nothing is no series, never 0
                for_="5m",
                severity="critical",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Metric, RuleGroup

        latency = Metric(
            "ws_message_latency_seconds",
            type="histogram",
            buckets=[0.01, 0.05, 0.1, 0.5, 1, 5, 10],
        )

        group = RuleGroup("websocket", [
            Alert(
                "WebSocketLatencyHigh",
                expr='''
                    histogram_quantile(0.95, sum by (job, le) (rate(ws_message_latency_seconds_bucket[5m])))
                      > 5
                ''',
                for_="10m",
                severity="warning",
            ),
            Alert(
                "ApiErrorsHigh",
                expr='''
                    sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
                      / sum by (job) (rate(http_requests_total[5m]))
                      > 0.05
                ''',
                for_="10m",
                severity="warning",
            ),
            Alert("ApiTargetsGone", expr='absent(up{job="api"})', for_="5m", severity="critical"),
            Alert("ApiIdle", expr='sum by (job) (rate(http_requests_total[5m])) == 0', for_="15m", severity="info"),
        ])
    """

    def check(self, rules: Sequence[LintedRule], context: LintContext) -> Iterator[tuple[LintedRule, Report]]:
        catalogue = context.catalogue
        ranges = ValueRanges(
            catalogue,
            never_negative=lambda name: is_counter(name, catalogue) is True,
            recorded=lambda name: [record.expr for record in catalogue.records.get(name, ())],
        )
        for rule in rules:
            if not _may_compare(rule.query.expr):
                continue
            for node in [node for node in rule.query.nodes if type(node) is promql.BinaryExpr]:
                if operator(node) in COMPARISONS:
                    report = _judged(node, ranges, rule.query)
                    if report is not None:
                        yield rule, report


def _may_compare(expr: str) -> bool:
    """Whether the text may hold a comparison: most recording rules hold none, and need no walk."""
    return ">" in expr or "<" in expr or "==" in expr or "!=" in expr


def _judged(node: promql.BinaryExpr, ranges: ValueRanges, query: Query) -> Report | None:
    """A report when the comparison with a constant never holds, or surely always does."""
    lhs, rhs = node.lhs, node.rhs
    threshold_left = not (type(rhs) is promql.NumberLiteral or is_scalar(rhs))
    if threshold_left and not is_scalar(lhs):
        return None
    threshold = rhs.val if type(rhs) is promql.NumberLiteral else ranges.of(lhs if threshold_left else rhs).constant
    side = ranges.of(rhs if threshold_left else lhs)
    if threshold is None or not side.bounded:
        return None
    op = operator(node)
    constant = ValueRange(threshold, threshold)
    holds = comparison_holds(op, constant, side) if threshold_left else comparison_holds(op, side, constant)
    if holds is None or (holds and not (side.finite and side.constant is None)):
        return None
    shown = f"{_number(threshold)} {op}" if threshold_left else f"{op} {_number(threshold)}"
    verdict = "always holds" if holds else "never holds"
    said = f"the {'right' if threshold_left else 'left'} side is {side.shown()} ({side.reason})"
    return Report(f"`{shown}` {verdict}: {said}", _location(query, node, op, threshold_left))


def _location(query: Query, node: promql.BinaryExpr, op: str, constant_left: bool) -> SourceLocation:
    """The line holding the comparison with its threshold, else the bounded side's function or metric."""
    constant = str(unwrap(node.lhs if constant_left else node.rhs))
    spelled = (f"{constant} {op}", f"{constant}{op}") if constant_left else (f"{op} {constant}", f"{op}{constant}")
    bounded = unwrap(node.rhs if constant_left else node.lhs)
    called = [function_name(bounded) or ""] if isinstance(bounded, promql.Call) else []
    names = [name for name in map(metric_name, selectors(bounded)) if name]
    return query.at_first(*spelled, *called, *names)


def _number(value: float) -> str:
    return ValueRange(value, value).shown()
