"""The `promql/histogram-quantile-le` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.load.metrics import Catalogue
from compiler.promql.labels import result_labels
from compiler.promql.selectors import metric_name, selectors

_NOT_BUCKETS = ("_total", "_count", "_sum")


class HistogramQuantileLe(QueryCheck):
    """`histogram_quantile()` over buckets whose `le` label was aggregated away, or over no histogram at all.

    A classic histogram is one `_bucket` series per upper bound, told apart by `le`; `histogram_quantile()`
    interpolates between them. `sum by (job) (rate(x_bucket[5m]))` adds all the buckets up into one series, and
    the quantile comes out empty. Keep `le` in the grouping: `sum by (job, le) (rate(x_bucket[5m]))`.

    A `_total`, `_count` or `_sum` series (or one the `Metric` catalogue declares a counter, a gauge or a
    summary) has no buckets either: read the `_bucket` series, or a summary's `quantile` label. A series with
    any other name may be a native histogram, which needs no `le`, and a recording rule may hold buckets under
    any name: both are left alone unless the name shows classic buckets (`_bucket`).
    """

    name = "promql/histogram-quantile-le"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("payments-latency", [
            Record(
                "job:payment_duration_seconds:p99",
                expr=(
                    "histogram_quantile(0.99, "  # bad: sum by (job) drops le
                    "sum by (job) (rate(payment_duration_seconds_bucket[5m])))"
                ),
            ),
            Record(
                "job:payment_duration_seconds:p50",
                expr=(
                    "histogram_quantile(0.5, "
                    "sum by (job, le) (rate(payment_duration_seconds_count[5m])))"  # bad: a _count has no buckets
                ),
            ),
        ])
    """
    good = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("payments-latency", [
            Record(
                "job:payment_duration_seconds:p99",
                expr="histogram_quantile(0.99, sum by (job, le) (rate(payment_duration_seconds_bucket[5m])))",
            ),
            Record(
                "job:payment_duration_seconds:p90",
                expr="histogram_quantile(0.9, sum without (instance) (rate(payment_duration_seconds_bucket[5m])))",
            ),
            Record(
                "job:payment_duration_seconds:p50",
                expr="histogram_quantile(0.5, sum by (job) (rate(payment_duration_seconds[5m])))",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for node in query.nodes:
            if not isinstance(node, promql.Call) or node.func.name != "histogram_quantile" or len(node.args) != 2:
                continue
            series = node.args[1]
            names = [name for name in map(metric_name, selectors(series)) if name is not None]
            buckets = [name for name in names if any(part.endswith("_bucket") for part in name.split(":"))]
            if buckets and not result_labels(series, context.catalogue).may_have("le"):
                yield Report(
                    f"histogram_quantile() over {buckets[0]} without its le label: the aggregation adds all "
                    "buckets into one; keep le in by (...)",
                    query.at("histogram_quantile"),
                )
            elif not buckets:
                for name in names:
                    if _not_histogram(name, context.catalogue):
                        yield Report(
                            f"histogram_quantile() over {name}, which has no buckets: read a histogram's _bucket "
                            "series (or a summary's quantile label)",
                            query.at_first(name, "histogram_quantile"),
                        )


def _not_histogram(name: str, catalogue: Catalogue) -> bool:
    """Whether the series is surely neither classic buckets nor a native histogram."""
    shape = catalogue.get(name)
    if shape is not None:
        return not name.endswith("_bucket")
    return ":" not in name and name.endswith(_NOT_BUCKETS)
