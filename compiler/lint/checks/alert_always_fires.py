"""The `alert/always-fires` check."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import promql_parser as promql

from compiler.lint.check import Report, RuleSetCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule
from compiler.promql.nodes import ABSENT_FUNCTIONS, COMPARISONS, function_name, is_scalar, operator, unwrap
from compiler.promql.selectors import metric_name, selectors

ALERT_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
"""Series that exist only while some alert is pending or firing."""


class AlwaysFires(RuleSetCheck):
    """An alert whose expression filters nothing fires for every series it reads, all the time.

    An alerting rule fires for each series its expression returns. `rate(http_errors_total[5m])` returns
    one for every instance that has ever served an error, whether the rate is 0 or 500, so the alert
    never resolves and is soon ignored. Something must remove the healthy series: a comparison without
    `bool` (`> 0.05`), `absent()`, `unless`, or `and` with such a condition. Each branch of an `or` must
    filter on its own: `x > 1 or vector(0)` fires always. An alert reading `ALERTS`, or a recording rule
    whose own expression filters, counts as filtered.

    A heartbeat that is meant to fire always (the `vector(1)` Watchdog of a dead man's switch) is the
    exception: say so with `lint_ignore={"alert/always-fires": "Watchdog: ..."}`.
    """

    name = "alert/always-fires"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("mysql", [
            Alert(
                "MysqlSlowQueries",
                expr="rate(mysql_global_status_slow_queries[5m])",  # bad: no threshold
                for_="5m",
                severity="warning",
            ),
            Alert(
                "MysqlReplicationBroken",
                expr='''
                    mysql_slave_status_slave_sql_running == 0
                    or mysql_slave_status_seconds_behind_master  # bad: this branch compares nothing
                ''',
                for_="5m",
                severity="critical",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("mysql", [
            Alert(
                "MysqlSlowQueries",
                expr="rate(mysql_global_status_slow_queries[5m]) > 1",
                for_="5m",
                severity="warning",
            ),
            Alert(
                "MysqlReplicationBroken",
                expr='''
                    mysql_slave_status_slave_sql_running == 0
                    or mysql_slave_status_seconds_behind_master > 300
                ''',
                for_="5m",
                severity="critical",
            ),
            Alert("MysqlExporterMissing", expr='absent(up{job="mysql"})', for_="10m", severity="critical"),
            Alert(
                "Watchdog",
                expr="vector(1)",
                severity="info",
                lint_ignore={"alert/always-fires": "dead man's switch: Alertmanager pages when it stops"},
            ),
        ])
    """

    def check(self, rules: Sequence[LintedRule], context: LintContext) -> Iterator[tuple[LintedRule, Report]]:
        is_condition = ConditionSeries(rules)
        for rule in rules:
            if rule.rule.kind == "alert":
                culprit = unfiltered(rule.query.ast, is_condition)
                if culprit is not None:
                    yield rule, _report(rule, culprit)


def _report(rule: LintedRule, culprit: promql.Expr) -> Report:
    selector = next(selectors(culprit), None)
    if selector is None:
        location = rule.query.at(str(culprit))
        return Report(
            f"{culprit} returns a series at every evaluation, so it always fires; if that is its job "
            "(a Watchdog heartbeat), lint_ignore this check saying so",
            rule.at("expr") if location == rule.location else location,
        )
    series = metric_name(selector) or str(selector)
    return Report(
        f"fires whenever {series} has series: no comparison filters it; add a threshold (e.g. `> 0`)",
        rule.query.at(series),
    )


class ConditionSeries:
    """Which series exist only while a condition holds: `ALERTS`, and recording rules whose every
    definition filters (each found once, when first asked)."""

    def __init__(self, rules: Sequence[LintedRule]) -> None:
        self._records: dict[str, list[promql.Expr]] = {}
        for rule in rules:
            if rule.rule.kind == "record":
                self._records.setdefault(rule.rule.name, []).append(rule.query.ast)
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        if name in ALERT_SERIES:
            return True
        if name not in self._known:
            self._known[name] = False
            definitions = self._records.get(name, [])
            self._known[name] = bool(definitions) and all(unfiltered(expr, self) is None for expr in definitions)
        return self._known[name]


def unfiltered(node: promql.Expr, is_condition: Callable[[str], bool]) -> promql.Expr | None:
    """The part of the expression that returns a series whenever its inputs have one, or None when the
    expression filters: a comparison without `bool`, `absent`, `unless`, a condition series, or an operand
    of `and` or of arithmetic that does."""
    node = unwrap(node)
    if isinstance(node, promql.VectorSelector):
        name = metric_name(node)
        return None if name is not None and is_condition(name) else node
    if isinstance(node, promql.MatrixSelector):
        return unfiltered(node.vector_selector, is_condition)
    if isinstance(node, promql.UnaryExpr | promql.SubqueryExpr | promql.AggregateExpr):
        return unfiltered(node.expr, is_condition)
    if isinstance(node, promql.Call):
        if function_name(node) in ABSENT_FUNCTIONS:
            return None
        if is_scalar(node):
            return node
        vectors = [arg for arg in node.args if not is_scalar(arg) and not isinstance(arg, promql.StringLiteral)]
        return _all_unfiltered(vectors, is_condition) if vectors else node
    if isinstance(node, promql.BinaryExpr):
        op = operator(node)
        returns_bool = node.modifier is not None and node.modifier.return_bool
        if op == "unless" or (op in COMPARISONS and not returns_bool):
            return None
        if op == "or":
            left = unfiltered(node.lhs, is_condition)
            return left if left is not None else unfiltered(node.rhs, is_condition)
        return _all_unfiltered([node.lhs, node.rhs], is_condition)
    return node


def _all_unfiltered(operands: list[promql.Expr], is_condition: Callable[[str], bool]) -> promql.Expr | None:
    """None when any operand filters (the result keeps only series they all have), else the first operand
    that reads series."""
    culprits = [unfiltered(operand, is_condition) for operand in operands]
    if any(culprit is None for culprit in culprits):
        return None
    found = [culprit for culprit in culprits if culprit is not None]
    return next((culprit for culprit in found if next(selectors(culprit), None) is not None), found[0])
