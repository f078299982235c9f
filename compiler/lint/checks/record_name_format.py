"""The `record/name-format` check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import timedelta

import promql_parser as promql

from compiler.dsl.durations import format_duration, parse_duration
from compiler.lint.check import RecordCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.positions import text_line
from compiler.lint.subjects import LintContext, LintedRule
from compiler.promql.selectors import metric_name

_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_METRIC = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_WINDOWED_OPERATION = re.compile(r"(?<![^_])((?:i?rate|increase)(\d+(?:ms|[smhdwy])))(?![^_])")
"""An operation that names its window, `rate5m` or `increase1h` (between underscores, or at either end of the
operations): the expr must take a range of that length."""


class NameFormat(RecordCheck):
    """A recording rule's name should read `level:metric:operations`, and its operations should be what it does.

    Prometheus' naming convention (https://prometheus.io/docs/practices/rules/) makes a recorded series
    explain itself: `level` is the labels the result keeps (`job`, `instance_device`), `metric` the metric it
    was computed from (keeping its spelling, minus `_total` after a rate), `operations` what was applied,
    newest first (`rate5m`, `ratio_rate5m`, `p99_5m`). With exactly two colons and snake_case level and
    operations, a reader knows what `job:http_requests:rate5m` holds without finding its rule, and a wrong
    calculation (a rate summed across jobs, a ratio averaged) stands out. Sloth's names
    (`slo:sli_error:ratio_rate5m`) follow it. An empty level (`:node_memory_MemAvailable_bytes:sum`) is the
    convention kube-prometheus and Thanos use for a result that keeps no labels, and an empty operations part
    (`node_namespace_pod:kube_pod_info:`) the same convention for a series kept as it is, only relabelled or
    joined: both are accepted.

    When the operations name a window (`rate5m`, `irate1m`, `increase1h`), the expr must take a range of that
    length; a rule that says `rate5m` but computes `rate(...[1m])` misleads everyone who reads it. Rules that
    read other recorded series are not held to this: the window may come from the series they read.

    Rules generated for an SLO are exempt: their names are Sloth's, which dashboards and tools expect.
    """

    name = "record/name-format"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("checkout", [
            Record(
                "checkout_requests_per_second",  # bad: no level and no operations
                expr="sum(rate(checkout_requests_total[5m]))",
            ),
            Record(
                "job:checkout_requests:rate5m",  # bad: says rate5m, but the rate is over 1m
                expr="sum by (job) (rate(checkout_requests_total[1m]))",
            ),
            Record("job:checkout_errors:Ratio", expr="sum by (job) (checkout_errors)"),  # bad: not snake_case
        ])
    """
    good = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("checkout", [
            Record("job:checkout_requests:rate5m", expr="sum by (job) (rate(checkout_requests_total[5m]))"),
            Record(
                "job_route:checkout_request_duration_seconds:p99_5m",
                expr="histogram_quantile(0.99, sum by (job, route, le) ("
                "rate(checkout_request_duration_seconds_bucket[5m])))",
            ),
            Record("cluster:checkout_requests:rate5m", expr="sum(job:checkout_requests:rate5m)"),
        ])
    """

    def check(self, record: LintedRule, context: LintContext) -> Iterator[Report]:
        if record.slo is not None:
            return
        name = record.rule.name
        problem = _format_problem(name)
        if problem:
            yield Report(f"name is not level:metric:operations: {problem}", text_line(record.location, name))
            return
        claimed = _claimed_windows(name.rsplit(":", 1)[1])
        ranges = _ranges_of_raw_metrics(record.query.nodes) if claimed else None
        if ranges is None:
            return
        for operation, window in claimed:
            if window not in ranges:
                taken = ", ".join(sorted(format_duration(r) for r in ranges)) or "none"
                yield Report(
                    f"name says {operation} but the expr takes no {format_duration(window)} range "
                    f"(its ranges: {taken}); rename the rule or fix the range",
                    text_line(record.location, name),
                )


def _format_problem(name: str) -> str | None:
    """What breaks the convention in `name`, or None."""
    parts = name.split(":")
    if len(parts) != 3:
        return f"it has {len(parts) - 1} colon(s), not 2 (e.g. job:http_requests:rate5m)"
    level, metric, operations = parts
    if not metric:
        return "its metric part is empty"
    if level and not _SNAKE_CASE.fullmatch(level):
        return f"level {level!r} is not snake_case label names"
    if not _METRIC.fullmatch(metric):
        return f"metric {metric!r} is not a metric name"
    if operations and not _SNAKE_CASE.fullmatch(operations):
        return f"operations {operations!r} are not snake_case"
    return None


def _claimed_windows(operations: str) -> list[tuple[str, timedelta]]:
    """The operations that name a window, each with that window."""
    return [(match.group(1), parse_duration(match.group(2))) for match in _WINDOWED_OPERATION.finditer(operations)]


def _ranges_of_raw_metrics(nodes: Iterable[promql.Expr]) -> set[timedelta] | None:
    """The range of every range vector and subquery among the expression's nodes; None when it reads a recorded
    series (a name with a colon), whose own operations may supply the window."""
    ranges = set()
    for node in nodes:
        if isinstance(node, promql.VectorSelector) and ":" in (metric_name(node) or ""):
            return None
        if isinstance(node, promql.MatrixSelector | promql.SubqueryExpr) and node.range is not None:
            ranges.add(node.range)
    return ranges
