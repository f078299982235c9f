"""The nodes of a PromQL syntax tree: their children, every node of a tree in order, and what a node is."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

SET_OPERATORS = frozenset({"and", "or", "unless"})
COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
KEEP_INPUT_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})
LABEL_WRITERS = frozenset({"label_replace", "label_join"})
ABSENT_FUNCTIONS = frozenset({"absent", "absent_over_time"})
COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})
"""Functions that read a range of a counter and take its resets into account."""


def children(node: promql.Expr) -> list[promql.Expr]:
    if isinstance(node, promql.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, promql.AggregateExpr):
        return [node.expr] if node.param is None else [node.param, node.expr]
    if isinstance(node, promql.ParenExpr | promql.UnaryExpr | promql.SubqueryExpr):
        return [node.expr]
    if isinstance(node, promql.Call):
        return list(node.args)
    if isinstance(node, promql.MatrixSelector):
        return [node.vector_selector]
    return []


def walk(node: promql.Expr) -> Iterator[promql.Expr]:
    """Every node of the tree, parents before children, left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def unwrap(node: promql.Expr) -> promql.Expr:
    """The expression inside any parentheses."""
    while isinstance(node, promql.ParenExpr):
        node = node.expr
    return node


def function_name(node: promql.Expr) -> str | None:
    return str(node.func.name) if isinstance(node, promql.Call) else None


def operator(node: promql.BinaryExpr | promql.AggregateExpr) -> str:
    return str(node.op).strip().lower()


def is_scalar(node: promql.Expr) -> bool:
    node = unwrap(node)
    if isinstance(node, promql.NumberLiteral):
        return True
    if isinstance(node, promql.Call):
        return bool(node.func.return_type == promql.ValueType.Scalar)
    if isinstance(node, promql.UnaryExpr):
        return is_scalar(node.expr)
    if isinstance(node, promql.BinaryExpr):
        return is_scalar(node.lhs) and is_scalar(node.rhs)
    return False
