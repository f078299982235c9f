"""The `dashboard/rate-interval` check."""

from __future__ import annotations

import re
from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.grafana_variables import VARIABLE
from compiler.promql.nodes import function_name, unwrap, walk
from compiler.promql.text import STRING_LITERAL

_RATES = frozenset({"rate", "irate"})
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


class RateInterval(QueryCheck):
    """A dashboard query takes `rate` or `irate` over a fixed range where `$__rate_interval` belongs.

    A graph draws one point per step, and the step grows as you zoom out: over 7 days at 1m resolution
    `rate(x[5m])` reads 5 minutes out of every 30 and misses every spike in between, while on a Prometheus
    that scrapes every 2 minutes a `[1m]` range holds fewer than two samples and draws nothing.
    `$__rate_interval` is Grafana's answer to both: at least four scrape intervals (from the datasource's
    scrape interval setting), and never less than the step plus one scrape interval. Write
    `rate(x[$__rate_interval])`.

    `increase` is left alone: its range is the unit of its result ("errors per hour"), so a fixed one is
    usually what the panel means. Recording rules are not dashboard queries and may use fixed ranges.
    """

    name = "dashboard/rate-interval"
    severity = Severity.WARNING
    bad = """
        from grafanalib.core import Dashboard, Target, TimeSeries

        from compiler.dsl.dashboards import DATASOURCE

        search = Dashboard(
            title="Search API",
            uid="search-api",
            panels=[
                TimeSeries(
                    title="Queries per second",  # bad: rate over a fixed 5m
                    dataSource=DATASOURCE,
                    unit="reqps",
                    targets=[Target(expr='sum by (index) (rate(search_queries_total{job="search"}[5m]))')],
                ),
                TimeSeries(
                    title="Cache hit ratio",  # bad: irate over a fixed 1m
                    dataSource=DATASOURCE,
                    unit="percentunit",
                    targets=[
                        Target(
                            expr="sum(irate(search_cache_hits_total[1m])) / "
                            "sum(irate(search_cache_lookups_total[$__rate_interval]))",
                        ),
                    ],
                ),
            ],
        )
    """
    good = """
        from grafanalib.core import Dashboard, Target, TimeSeries

        from compiler.dsl.dashboards import DATASOURCE

        search = Dashboard(
            title="Search API",
            uid="search-api",
            panels=[
                TimeSeries(
                    title="Queries per second",
                    dataSource=DATASOURCE,
                    unit="reqps",
                    targets=[
                        Target(
                            expr='sum by (index) (rate(search_queries_total{job="search", index=~"[a-z]+"}'
                            "[$__rate_interval]))",
                        ),
                    ],
                ),
                TimeSeries(
                    title="Slow queries per hour",
                    dataSource=DATASOURCE,
                    unit="short",
                    targets=[
                        Target(
                            expr="sum(increase(search_slow_queries_total[1h])) and "
                            "max_over_time(search_index_size_bytes[5m]) > 0",
                        ),
                    ],
                ),
            ],
        )
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        if not query.in_dashboard:
            return
        matrices = 0
        rated: list[tuple[int, str]] = []
        waiting: str | None = None
        for node in walk(query.ast):
            if isinstance(node, promql.MatrixSelector):
                if waiting:
                    rated.append((matrices, waiting))
                matrices += 1
                waiting = None
            elif isinstance(node, promql.Call) and (name := function_name(node)) in _RATES:
                waiting = name if isinstance(unwrap(node.args[0]), promql.MatrixSelector) else None
        ranges = _written_ranges(query.expr) if rated else []
        if len(ranges) != matrices:
            return
        for index, function in rated:
            written = ranges[index].strip()
            if not VARIABLE.search(written):
                yield Report(
                    f"{function}() over a fixed [{written}]: use [$__rate_interval], which follows the zoom level "
                    "and the scrape interval",
                    query.location,
                )


def _written_ranges(expr: str) -> list[str]:
    """The text inside each range vector's brackets, in order, as the author wrote it (subqueries left out)."""
    code = STRING_LITERAL.sub('""', expr)
    return [text for text in _BRACKETS.findall(code) if ":" not in VARIABLE.sub("", text)]
