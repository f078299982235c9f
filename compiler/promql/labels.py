"""The labels each node of an expression's syntax tree carries, inferred as Prometheus computes them: what a
selector reads, what an aggregation keeps, what vector matching keeps and copies, what a function writes.

`label_tree` labels every node of a tree at once, each from its children's, with every label the series below
it can carry at all, so a check can tell a label the query removed from one no series ever had. The labels
themselves are `label_sets.LabelSet`s; `selector_labels`, `function_labels` and `vector_matching` say what a
selector, a function and a binary operation between vectors make of them.
"""

from __future__ import annotations

from typing import NamedTuple

import promql_parser as promql

from compiler.promql.function_labels import absent_labels, function_labels
from compiler.promql.grafana_variables import named_labels
from compiler.promql.label_sets import CLOSED_EMPTY, DeclaredSeries, LabelSet
from compiler.promql.nodes import ABSENT_FUNCTIONS, KEEP_INPUT_AGGREGATIONS, SET_OPERATORS, operator
from compiler.promql.selector_labels import selector_labels
from compiler.promql.vector_matching import Matching, Unmatched, matched_labels, matching_of, unmatched


class Labelled(NamedTuple):
    """A node of a syntax tree, the labels of its result and every label that a series read below it (or a
    function below it writes) can carry: None when some of those series are not known.

    A binary operation between two vectors has its `matching`, and `unmatched` says why its sides never
    match, when they cannot; `empty` that the result is always empty, because of such an operation here or
    below; `scalar` that the node is a scalar. A named tuple: one is made for every node of every query lint
    reads, so it must be cheap to make.
    """

    node: promql.Expr
    labels: LabelSet
    read: frozenset[str] | None
    children: tuple[Labelled, ...] = ()
    unmatched: Unmatched | None = None
    empty: bool = False
    scalar: bool = False
    matching: Matching | None = None

    def walk(self) -> list[Labelled]:
        """This node and every node below, parents before children, left to right (as `nodes.walk`)."""
        found = []
        stack = [self]
        while stack:
            current = stack.pop()
            found.append(current)
            if current.children:
                stack += current.children[::-1]
        return found

    def never_read(self, label: str) -> bool:
        """Whether no series below can carry the label: a typo, not a label the query removed."""
        return self.read is not None and label not in self.read


def result_labels(node: promql.Expr, declared: DeclaredSeries | None = None) -> LabelSet:
    """The labels each series of the expression's result can carry, as Prometheus computes them."""
    return label_tree(node, declared).labels


def label_tree(node: promql.Expr, declared: DeclaredSeries | None = None) -> Labelled:
    """The tree with every node's result labels, each computed once from its children's."""
    while isinstance(node, promql.ParenExpr):
        node = node.expr
    if isinstance(node, promql.VectorSelector):
        return _selected(node, declared)
    if isinstance(node, promql.Call):
        return _called(node, declared)
    if isinstance(node, promql.AggregateExpr):
        return _aggregated(node, declared)
    if isinstance(node, promql.BinaryExpr):
        return _combined(node, declared)
    if isinstance(node, promql.MatrixSelector):
        inner = _selected(node.vector_selector, declared)
        return Labelled(node, inner.labels, inner.read, (inner,))
    if isinstance(node, promql.SubqueryExpr | promql.UnaryExpr):
        inner = label_tree(node.expr, declared)
        return Labelled(node, inner.labels, inner.read, (inner,), None, inner.empty, inner.scalar)
    return Labelled(node, CLOSED_EMPTY, frozenset(), (), None, False, isinstance(node, promql.NumberLiteral))


def _labelled(
    node: promql.Expr,
    labels: LabelSet,
    children: tuple[Labelled, ...],
    empty: bool = False,
    scalar: bool = False,
) -> Labelled:
    return Labelled(node, labels, _read(labels, children), children, None, empty, scalar)


def _read(labels: LabelSet, children: tuple[Labelled, ...]) -> frozenset[str] | None:
    read: frozenset[str] | None = labels.known
    for child in children:
        if read is None or child.read is None:
            return None
        if child.read:
            read = read | child.read
    return read


def _selected(selector: promql.VectorSelector, declared: DeclaredSeries | None) -> Labelled:
    return Labelled(selector, *selector_labels(selector, declared))


def _aggregated(node: promql.AggregateExpr, declared: DeclaredSeries | None) -> Labelled:
    param = node.param
    inner = label_tree(node.expr, declared)
    children = (inner,) if param is None else (label_tree(param, declared), inner)
    op = operator(node)
    if op in KEEP_INPUT_AGGREGATIONS:
        return _labelled(node, inner.labels, children, empty=inner.empty)
    modifier = node.modifier
    if modifier is None:
        grouped = CLOSED_EMPTY
    else:
        named, variable = named_labels(modifier.labels)
        if modifier.type == promql.AggModifierType.By:
            grouped = inner.labels.loosened(named) if variable else inner.labels.grouped(named)
        else:
            grouped = inner.labels.loosened(frozenset()) if variable else inner.labels.without(named)
    if op == "count_values" and isinstance(param, promql.StringLiteral):
        grouped = grouped.plus(frozenset({str(param.val)}), certain=True)
    return _labelled(node, grouped, children, empty=inner.empty)


def _called(node: promql.Call, declared: DeclaredSeries | None) -> Labelled:
    args = node.args
    children = tuple(label_tree(arg, declared) for arg in args)
    func = node.func
    name = str(func.name)
    if func.return_type == promql.ValueType.Scalar:
        return _labelled(node, CLOSED_EMPTY, children, scalar=True)
    if name in ABSENT_FUNCTIONS and args:
        return _labelled(node, absent_labels(args[0]), children)
    vector = next(
        (child for child in children if not child.scalar and not isinstance(child.node, promql.StringLiteral)), None
    )
    if vector is None:
        return _labelled(node, CLOSED_EMPTY, children)
    return _labelled(node, function_labels(name, args, vector.labels), children, empty=vector.empty)


def _combined(node: promql.BinaryExpr, declared: DeclaredSeries | None) -> Labelled:
    lhs, rhs = label_tree(node.lhs, declared), label_tree(node.rhs, declared)
    children = (lhs, rhs)
    if lhs.scalar or rhs.scalar:
        if lhs.scalar and rhs.scalar:
            return _labelled(node, CLOSED_EMPTY, children, scalar=True)
        vector = rhs if lhs.scalar else lhs
        return _labelled(node, vector.labels, children, empty=vector.empty)
    op = operator(node)
    matching = matching_of(node)
    never = None if op == "or" else unmatched(matching, lhs.labels, rhs.labels)
    if op == "or":
        empty = lhs.empty and rhs.empty
    elif op == "unless":
        empty = lhs.empty
    else:
        empty = lhs.empty or rhs.empty or never is not None
    if op in SET_OPERATORS:
        labels = lhs.labels.union(rhs.labels) if op == "or" else lhs.labels
    else:
        labels = matched_labels(matching, lhs.labels, rhs.labels)
    return Labelled(node, labels, _read(labels, children), children, never, empty, False, matching)
