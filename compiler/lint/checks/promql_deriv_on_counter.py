"""The `promql/deriv-on-counter` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.counters import is_counter
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.nodes import function_name, unwrap
from compiler.promql.selectors import metric_name

_GAUGE_FUNCTIONS = {"deriv": "rate", "delta": "increase", "idelta": "irate"}
"""Functions for gauges, each with its counterpart for counters."""


class DerivOnCounter(QueryCheck):
    """`deriv()`, `delta()` or `idelta()` over a counter.

    These functions take the values as they are, so each time the counter restarts from zero they see a huge
    drop: the result turns negative, and an alert on it misfires after every deploy. Use the counter's
    counterparts, which handle resets: `rate()` for `deriv()`, `increase()` for `delta()`, `irate()` for
    `idelta()`.

    A series is a counter when the `Metric` catalogue declares it one, else when its name ends in `_total`,
    `_count`, `_sum` or `_bucket`.
    """

    name = "promql/deriv-on-counter"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("mail", [
            Alert(
                "MailQueueNotDraining",
                expr="delta(mail_delivered_total[15m]) == 0",  # bad: delta of a counter
                for_="15m",
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("mail", [
            Alert(
                "MailQueueNotDraining",
                expr="increase(mail_delivered_total[15m]) == 0 and deriv(mail_queue_messages[15m]) > 0",
                for_="15m",
                severity="warning",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for node in query.nodes:
            function = function_name(node)
            if function not in _GAUGE_FUNCTIONS or not isinstance(node, promql.Call) or not node.args:
                continue
            argument = unwrap(node.args[0])
            if not isinstance(argument, promql.MatrixSelector):
                continue
            name = metric_name(argument.vector_selector)
            if name is not None and is_counter(name, context.catalogue):
                yield Report(
                    f"{function}() over {name}, a counter: each restart reads as a drop; use "
                    f"{_GAUGE_FUNCTIONS[function]}()",
                    query.at_first(f"{function}({name}", name),
                )
