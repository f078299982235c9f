"""The labels each series of an expression's result can carry, inferred from its syntax tree as Prometheus
computes them: what an aggregation keeps, what a join copies, what a function writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import promql_parser as promql

from compiler.promql.nodes import (
    ABSENT_FUNCTIONS,
    KEEP_INPUT_AGGREGATIONS,
    LABEL_WRITERS,
    SET_OPERATORS,
    function_name,
    is_scalar,
    operator,
    unwrap,
)
from compiler.promql.selectors import metric_name


class DeclaredSeries(Protocol):
    """Where the labels of raw series are declared (the metrics catalogue)."""

    def series_labels(self, name: str) -> frozenset[str] | None:
        """The labels a scraped series of that name carries; None when it is not declared."""


@dataclass(frozen=True)
class LabelSet:
    """The labels a result may carry: exactly `known` when closed, or any label but `excluded` when open."""

    known: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()

    def may_have(self, label: str) -> bool:
        return label in self.known if self.known is not None else label not in self.excluded

    def without(self, labels: frozenset[str]) -> LabelSet:
        if self.known is not None:
            return LabelSet(self.known - labels)
        return LabelSet(None, self.excluded | labels)

    def plus(self, labels: frozenset[str]) -> LabelSet:
        if self.known is not None:
            return LabelSet(self.known | labels)
        return LabelSet(None, self.excluded - labels)

    def union(self, other: LabelSet) -> LabelSet:
        if self.known is not None and other.known is not None:
            return LabelSet(self.known | other.known)
        if self.known is None and other.known is None:
            return LabelSet(None, self.excluded & other.excluded)
        closed, opened = (self, other) if self.known is not None else (other, self)
        assert closed.known is not None
        return LabelSet(None, opened.excluded - closed.known)


CLOSED_EMPTY = LabelSet(frozenset())
ANY = LabelSet()


def result_labels(node: promql.Expr, declared: DeclaredSeries | None = None) -> LabelSet:
    """The labels each series of the expression's result can carry, as Prometheus computes them."""
    node = unwrap(node)
    if isinstance(node, promql.VectorSelector):
        return _selected_labels(node, declared)
    if isinstance(node, promql.MatrixSelector):
        return _selected_labels(node.vector_selector, declared)
    if isinstance(node, promql.SubqueryExpr | promql.UnaryExpr):
        return result_labels(node.expr, declared)
    if isinstance(node, promql.AggregateExpr):
        return _aggregated_labels(node, declared)
    if isinstance(node, promql.Call):
        return _call_labels(node, declared)
    if isinstance(node, promql.BinaryExpr):
        return _binary_labels(node, declared)
    return CLOSED_EMPTY


def _selected_labels(selector: promql.VectorSelector, declared: DeclaredSeries | None) -> LabelSet:
    name = metric_name(selector)
    labels = declared.series_labels(name) if declared is not None and name else None
    if labels is None:
        return ANY
    matched = frozenset(m.name for m in selector.matchers.matchers if m.name != "__name__")
    return LabelSet(labels | matched)


def _aggregated_labels(node: promql.AggregateExpr, declared: DeclaredSeries | None) -> LabelSet:
    inner = result_labels(node.expr, declared)
    op = operator(node)
    if op in KEEP_INPUT_AGGREGATIONS:
        return inner
    if node.modifier is None:
        grouped = CLOSED_EMPTY
    elif node.modifier.type == promql.AggModifierType.By:
        grouped = LabelSet(frozenset(node.modifier.labels))
    else:
        grouped = inner.without(frozenset(node.modifier.labels))
    if op == "count_values" and isinstance(node.param, promql.StringLiteral):
        return grouped.plus(frozenset({str(node.param.val)}))
    return grouped


def _call_labels(node: promql.Call, declared: DeclaredSeries | None) -> LabelSet:
    name = function_name(node)
    args = list(node.args)
    if name in ABSENT_FUNCTIONS and args:
        selector = unwrap(args[0])
        if isinstance(selector, promql.MatrixSelector):
            selector = selector.vector_selector
        if isinstance(selector, promql.VectorSelector):
            return LabelSet(_absent_labels(selector))
        return CLOSED_EMPTY
    vectors = [arg for arg in args if not is_scalar(arg) and not isinstance(unwrap(arg), promql.StringLiteral)]
    if not vectors or node.func.return_type == promql.ValueType.Scalar:
        return CLOSED_EMPTY
    labels = result_labels(vectors[0], declared)
    if name == "histogram_quantile":
        return labels.without(frozenset({"le"}))
    destination = unwrap(args[1]) if name in LABEL_WRITERS and len(args) > 1 else None
    replacement = unwrap(args[2]) if name == "label_replace" and len(args) > 2 else None
    if isinstance(replacement, promql.StringLiteral) and not replacement.val:
        return labels
    if isinstance(destination, promql.StringLiteral):
        return labels.plus(frozenset({str(destination.val)}))
    return labels


def _absent_labels(selector: promql.VectorSelector) -> frozenset[str]:
    """The labels `absent()` gives its one series, as Prometheus does: a name's first `=` matcher sets it (an
    empty value removes it), any other matcher of that name removes it."""
    seen: set[str] = set()
    kept: set[str] = set()
    for matcher in selector.matchers.matchers:
        name = str(matcher.name)
        if name == "__name__":
            continue
        if matcher.op == promql.MatchOp.Equal and name not in seen:
            seen.add(name)
            if matcher.value:
                kept.add(name)
                continue
        kept.discard(name)
    return frozenset(kept)


def _binary_labels(node: promql.BinaryExpr, declared: DeclaredSeries | None) -> LabelSet:
    op = operator(node)
    lhs, rhs = node.lhs, node.rhs
    if is_scalar(lhs):
        return result_labels(rhs, declared)
    if is_scalar(rhs):
        return result_labels(lhs, declared)
    left = result_labels(lhs, declared)
    if op in SET_OPERATORS:
        return left.union(result_labels(rhs, declared)) if op == "or" else left
    modifier = node.modifier
    matching = modifier.matching if modifier is not None else None
    card = modifier.card if modifier is not None else promql.VectorMatchCardinality.OneToOne
    if card == promql.VectorMatchCardinality.OneToMany:
        side, included = result_labels(rhs, declared), left
    else:
        side, included = left, result_labels(rhs, declared)
    if card == promql.VectorMatchCardinality.OneToOne:
        if matching is None:
            return side
        labels = frozenset(matching.labels)
        if matching.type == promql.LabelModifierType.Include:
            return LabelSet(frozenset(label for label in labels if side.may_have(label)))
        return side.without(labels)
    group_labels = frozenset(modifier.group_labels or ()) if modifier is not None else frozenset()
    copied = frozenset(label for label in group_labels if included.may_have(label))
    return side.without(group_labels).plus(copied)
