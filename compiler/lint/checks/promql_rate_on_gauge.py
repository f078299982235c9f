"""The `promql/rate-on-gauge` check."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.counters import is_counter
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.load.metrics import Catalogue
from compiler.promql.nodes import COUNTER_FUNCTIONS, function_name, unwrap, walk
from compiler.promql.selectors import metric_name


class RateOnGauge(QueryCheck):
    """`rate`, `irate`, `increase` or `resets` over a series that is not a counter.

    These functions read every drop in the value as a counter reset and add the value before the drop back,
    so over a gauge (memory in use, queue depth, temperature) they return a meaningless, always positive,
    spiky number. Use `deriv()` for a gauge's per-second change and `delta()` for its change over the range;
    `*_over_time()` for its average or extremes.

    A series is a counter when the `Metric` catalogue declares it one (a histogram's `_bucket`, `_sum` and
    `_count` too), else when its name ends in `_total`, `_count`, `_sum` or `_bucket`. It is taken for a gauge
    when it is declared a gauge or a summary's quantiles, else when its name is `up` or ends in `_ratio`,
    `_percent`, `_celsius` or `_info`, or when it is a recording rule whose last part says it holds a rate or a
    ratio (`job:http_requests:rate5m`). Other names are left alone, `_bytes` and `_seconds` too: some exporters
    (elasticsearch_exporter, junos_exporter) name counters so; declare such a metric to have it checked.
    Inside a `histogram_*()` function the series may be a native histogram, which `rate` reads like a counter:
    those are never reported (declare the histogram in the catalogue to have its native form known everywhere).
    """

    name = "promql/rate-on-gauge"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Metric, Record, RuleGroup

        resident = Metric("process_resident_memory_bytes", type="gauge", help="Resident memory size in bytes.")

        group = RuleGroup("worker", [
            Record(
                "job:process_resident_memory_bytes:rate5m",
                expr="sum by (job) (rate(process_resident_memory_bytes[5m]))",  # bad: declared a gauge
            ),
            Alert(
                "CpuTemperatureRising",
                expr="irate(node_hwmon_temp_celsius[5m]) > 0.1",  # bad: _celsius, a gauge by its name
                for_="10m",
                severity="warning",
            ),
            Record(
                "job:http_requests:rate5m_rate5m",
                expr="rate(job:http_requests:rate5m[5m])",  # bad: a rate of a rate
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Metric, Record, RuleGroup

        resident = Metric("process_resident_memory_bytes", type="gauge", help="Resident memory size in bytes.")
        latency = Metric("http_request_duration_seconds", type="histogram", labels=["route"])

        group = RuleGroup("worker", [
            Record("job:process_resident_memory_bytes:deriv15m",
                   expr="sum by (job) (deriv(process_resident_memory_bytes[15m]))"),
            Record("job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))"),
            Record("job:http_request_duration_seconds:p99",
                   expr="histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds[5m])))"),
            Record("job:http_request_duration_seconds:rate5m",
                   expr="sum by (job) (rate(http_request_duration_seconds[5m]))"),
            Alert("CpuTemperatureRising", expr="deriv(node_hwmon_temp_celsius[10m]) > 0.1", for_="10m",
                  severity="warning"),
            Alert("SearchesSlow", expr="rate(elasticsearch_indices_search_query_time_seconds[5m]) > 1", for_="10m",
                  severity="warning"),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for function, name in _counter_reads(query.nodes):
            if is_counter(name, context.catalogue) is False:
                yield Report(
                    f"{function}() over {name}, {_what(name, context.catalogue)}, not a counter: "
                    "use deriv() or delta() for a gauge",
                    query.at_first(f"{function}({name}", name),
                )


def _counter_reads(nodes: Sequence[promql.Expr]) -> Iterator[tuple[str, str]]:
    """(function, series) for each counter function over a plain selector, outside `histogram_*()` functions
    (`nodes` as `walk` yields them, so a subtree is the run of nodes after its root)."""
    position = 0
    while position < len(nodes):
        node = nodes[position]
        position += 1
        function = function_name(node)
        if function is None:
            continue
        if function.startswith("histogram_"):
            position += sum(1 for _ in walk(node)) - 1
        elif function in COUNTER_FUNCTIONS and isinstance(node, promql.Call) and node.args:
            argument = unwrap(node.args[0])
            inner = unwrap(argument.expr if isinstance(argument, promql.SubqueryExpr) else argument)
            selector = inner.vector_selector if isinstance(inner, promql.MatrixSelector) else inner
            name = metric_name(selector) if isinstance(selector, promql.VectorSelector) else None
            if name is not None:
                yield function, name


def _what(name: str, catalogue: Catalogue) -> str:
    shape = catalogue.get(name)
    if shape is not None:
        kind = "a summary's quantiles" if shape.metric.type == "summary" else f"a {shape.metric.type}"
        return f"declared {kind}"
    if ":" in name:
        return "a recording rule of a rate or ratio"
    return "a gauge by its name"
