"""The `promql/rate-of-sum` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.dsl.durations import format_duration
from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.nodes import COUNTER_FUNCTIONS, function_name, operator, unwrap

_COUNTER_AGGREGATIONS = frozenset({"sum", "min", "max", "avg", "topk", "bottomk"})
"""Aggregations whose result still looks like a counter, so the mistake reads as plausible PromQL."""


class RateOfSum(QueryCheck):
    """`rate()`, `irate()`, `increase()` or `resets()` over a subquery of an aggregation: `rate(sum(x)[5m:])`.

    When one of the summed counters restarts, it drops to zero and the sum drops with it; `rate()` takes the
    drop for a reset of the sum and adds the whole sum back, so the result jumps by the total of every other
    counter. Aggregate the per-series rates instead: `sum(rate(x[5m]))`, which is also cheaper, as it needs
    no subquery.
    """

    name = "promql/rate-of-sum"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("orders", [
            Record(
                "job:orders_placed:rate5m",
                expr="rate(sum by (job) (orders_placed_total)[5m:])",  # bad: rate of a sum
            ),
            Alert(
                "NoOrdersPlaced",
                expr=(
                    "increase("
                    "  max(orders_placed_total{job='shop'})[1h:1m]"  # bad: increase of a max
                    ") == 0"
                ),
                for_="15m",
                severity="critical",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("orders", [
            Record("job:orders_placed:rate5m", expr="sum by (job) (rate(orders_placed_total[5m]))"),
            Record("job:orders_placed:max_rate5m_1h", expr="max_over_time(job:orders_placed:rate5m[1h:5m])"),
            Alert(
                "NoOrdersPlaced",
                expr="sum(increase(orders_placed_total{job='shop'}[1h])) == 0",
                for_="15m",
                severity="critical",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for node in query.nodes:
            function = function_name(node)
            if function not in COUNTER_FUNCTIONS or not isinstance(node, promql.Call) or not node.args:
                continue
            subquery = unwrap(node.args[0])
            if not isinstance(subquery, promql.SubqueryExpr):
                continue
            aggregation = unwrap(subquery.expr)
            if isinstance(aggregation, promql.AggregateExpr) and operator(aggregation) in _COUNTER_AGGREGATIONS:
                op = operator(aggregation)
                window = format_duration(subquery.range) if subquery.range else "5m"
                yield Report(
                    f"{function}() over a subquery of {op}(): a counter that restarts drops the {op}, which "
                    f"{function}() takes for a reset; aggregate the {function}s instead: "
                    f"{op}({function}(...[{window}]))",
                    query.at_first(f"{op}(", f"{op} ", f"{function}("),
                )
