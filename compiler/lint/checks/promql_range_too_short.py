"""The `promql/range-too-short` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.dsl.durations import format_duration
from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.selectors import metric_name


class RangeTooShort(QueryCheck):
    """A range vector that spans fewer than `range_factor` scrapes (by default 4 of the 1m `scrape_interval`).

    `rate()`, `increase()` and `deriv()` need two samples in the range, the `*_over_time()` functions one;
    a range of one or two scrape intervals often holds fewer, because scrapes jitter and sometimes fail, and
    then the query returns nothing: graphs have gaps and alerts resolve and fire again. Use a range of at
    least `range_factor` times `scrape_interval` (both set in `[tool.moncc.lint]`). Dashboard queries are left
    to `dashboard/rate-interval`: there the fix is `$__rate_interval`, a range Grafana makes long enough.

    A subquery (`max_over_time(rate(x[5m])[10m:1m])`) takes one sample per step, so its range must span
    `range_factor` steps; without an explicit step, the global evaluation interval.
    """

    name = "promql/range-too-short"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("checkout", [
            Record(
                "job:checkout_orders:rate1m",
                expr="sum by (job) (rate(checkout_orders_total[1m]))",  # bad: a range of one scrape
            ),
            Alert(
                "CheckoutErrorsSpiking",
                expr=(
                    "max_over_time("
                    "job:checkout_errors:ratio_rate5m[2m:1m]"  # bad: a subquery of two steps
                    ") > 0.05"
                ),
                for_="5m",
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("checkout", [
            Record("job:checkout_orders:rate5m", expr="sum by (job) (rate(checkout_orders_total[5m]))"),
            Alert(
                "CheckoutErrorsSpiking",
                expr="max_over_time(job:checkout_errors:ratio_rate5m[10m:1m]) > 0.05",
                for_="5m",
                severity="warning",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        if query.in_dashboard:
            return
        factor = context.settings.range_factor
        scrape = context.settings.scrape_interval
        for node in query.nodes:
            if isinstance(node, promql.MatrixSelector) and node.range < factor * scrape:
                spelled = format_duration(node.range)
                yield Report(
                    f"[{spelled}] spans fewer than {factor} scrapes {format_duration(scrape)} apart, so one missed "
                    f"scrape can leave it empty; use at least [{format_duration(factor * scrape)}]",
                    query.at_first(f"[{spelled}]", metric_name(node.vector_selector) or f"[{spelled}]"),
                )
            elif isinstance(node, promql.SubqueryExpr) and node.range is not None:
                step = node.step or context.evaluation_interval
                if node.range < factor * step:
                    spelled = format_duration(node.range)
                    yield Report(
                        f"subquery [{spelled}:{format_duration(step)}] takes fewer than {factor} steps, so one "
                        f"missed evaluation can leave it empty; use at least [{format_duration(factor * step)}:]",
                        query.at_first(f"[{spelled}:"),
                    )
