"""The `promql/high-cardinality` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.label_sets import ANY, CLOSED_EMPTY, LabelSet
from compiler.promql.labels import result_labels
from compiler.promql.nodes import SET_OPERATORS, children, operator
from compiler.promql.selectors import matchers, selectors

_BOUNDING = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


class HighCardinality(QueryCheck):
    """An aggregation that keeps a high-cardinality label: `sum by (user_id) (...)`.

    Labels such as `user_id`, `request_id` or `email` (`high_cardinality_labels` in `[tool.moncc.lint]`) have a
    value per user, request or message. Grouping by one makes a series per value: a recording rule stores
    them all, an alert fires once per user, a graph draws a line each, and Prometheus slows down for every
    query. Aggregate the label away, keep the few that matter with `topk()`, or pin it with a matcher.

    Reported: `by (...)` a listed label, and `without (...)` that keeps one (known only for metrics the
    `Metric` catalogue declares). Not reported: a label an enclosing aggregation removes again
    (`count(count by (user_id) (...))` counts users) or bounds (`topk(10, sum by (user_id) (...))`), and a
    label pinned by a matcher (`user_id="42"`, or a dashboard's `user_id=~"$user"`).
    """

    name = "promql/high-cardinality"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Metric, Record, RuleGroup

        searches = Metric("search_queries_total", type="counter", labels=["index", "customer_id"])

        group = RuleGroup("search", [
            Record(
                "user:search_queries:rate5m",
                expr="sum by (user_id) (rate(search_queries_total[5m]))",  # bad: one series per user
            ),
            Record(
                "index:search_queries:rate5m",
                expr="sum without (instance) (rate(search_queries_total[5m]))",  # bad: keeps customer_id
            ),
        ])
    """
    good = """
        from compiler.dsl import Metric, Record, RuleGroup

        searches = Metric("search_queries_total", type="counter", labels=["index", "customer_id"])

        group = RuleGroup("search", [
            Record("index:search_queries:rate5m",
                   expr="sum without (instance, customer_id) (rate(search_queries_total[5m]))"),
            Record("job:search_customers:count5m",
                   expr="count by (job) (count by (job, customer_id) (rate(search_queries_total[5m]) > 0))"),
            Record("job:search_top_customers:rate5m",
                   expr="topk(10, sum by (customer_id) (rate(search_queries_total[5m])))"),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        watched = frozenset(context.settings.high_cardinality_labels)
        if any(_may_keep(node, watched, context) for node in query.nodes):
            yield from _visit(query.ast, ANY, watched, query, context)


def _may_keep(node: promql.Expr, watched: frozenset[str], context: LintContext) -> bool:
    """Whether the node is an aggregation that may keep a watched label: the cheap test before the full one."""
    if not isinstance(node, promql.AggregateExpr) or node.modifier is None or not watched:
        return False
    if node.modifier.type == promql.AggModifierType.By:
        return not watched.isdisjoint(node.modifier.labels)
    return bool(context.catalogue)


def _visit(
    node: promql.Expr, surviving: LabelSet, watched: frozenset[str], query: Query, context: LintContext
) -> Iterator[Report]:
    """Report the node's aggregations and its children's; `surviving` are the labels that the enclosing
    expression lets through to the query's result."""
    if isinstance(node, promql.AggregateExpr) and operator(node) not in _BOUNDING and node.modifier is not None:
        op = operator(node)
        kept = result_labels(node, context.catalogue).known or frozenset()
        candidates = sorted(label for label in watched & kept if surviving.may_have(label))
        pinned = _pinned(node.expr) if candidates else frozenset()
        by = node.modifier.type == promql.AggModifierType.By
        for label in candidates:
            if label not in pinned:
                grouping = f"{op} by ({label})" if by else f"{op} without ({', '.join(node.modifier.labels)})"
                yield Report(
                    f"{grouping} makes a series per {label}, a high-cardinality label: aggregate it away, or "
                    "keep the top few with topk()",
                    query.at_first(label) if by else query.at_first(f"without ({', '.join(node.modifier.labels)}"),
                )
    for child, passed in _children(node, surviving):
        yield from _visit(child, passed, watched, query, context)


def _children(node: promql.Expr, surviving: LabelSet) -> list[tuple[promql.Expr, LabelSet]]:
    """Each child with the labels of it that reach the query's result."""
    if isinstance(node, promql.AggregateExpr):
        if operator(node) in _BOUNDING:
            return [(child, CLOSED_EMPTY) for child in children(node)]
        if node.modifier is None:
            passed = CLOSED_EMPTY
        elif node.modifier.type == promql.AggModifierType.By:
            passed = LabelSet(frozenset(label for label in node.modifier.labels if surviving.may_have(label)))
        else:
            passed = surviving.without(frozenset(node.modifier.labels))
        return [(child, passed) for child in children(node)]
    if isinstance(node, promql.BinaryExpr) and operator(node) in SET_OPERATORS - {"or"}:
        return [(node.lhs, surviving), (node.rhs, CLOSED_EMPTY)]
    return [(child, surviving) for child in children(node)]


def _pinned(node: promql.Expr) -> frozenset[str]:
    """Labels a selector fixes to one value, or to those a dashboard variable picks."""
    return frozenset(
        matcher.name
        for selector in selectors(node)
        for matcher in matchers(selector)
        if (matcher.op == promql.MatchOp.Equal and matcher.value)
        or (matcher.op == promql.MatchOp.Re and "$" in matcher.value)
    )
