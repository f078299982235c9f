"""What lint checks ask of a PromQL syntax tree: its nodes, the series it selects, the labels its result carries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import promql_parser as promql

from compiler.load.metrics import TARGET_LABELS, Catalogue

SET_OPERATORS = frozenset({"and", "or", "unless"})
COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
KEEP_INPUT_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})
LABEL_WRITERS = frozenset({"label_replace", "label_join"})
ABSENT_FUNCTIONS = frozenset({"absent", "absent_over_time"})


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


def metric_name(selector: promql.VectorSelector) -> str | None:
    """The metric a selector reads: its name, or an exact `__name__` matcher."""
    if selector.name:
        return str(selector.name)
    for matcher in selector.matchers.matchers:
        if matcher.name == "__name__" and matcher.op == promql.MatchOp.Equal:
            return str(matcher.value)
    return None


def selectors(node: promql.Expr) -> Iterator[promql.VectorSelector]:
    return (child for child in walk(node) if isinstance(child, promql.VectorSelector))


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


def result_labels(node: promql.Expr, catalogue: Catalogue | None = None) -> LabelSet:
    """The labels each series of the expression's result can carry, as Prometheus computes them."""
    node = unwrap(node)
    if isinstance(node, promql.VectorSelector):
        return _selected_labels(node, catalogue)
    if isinstance(node, promql.MatrixSelector):
        return _selected_labels(node.vector_selector, catalogue)
    if isinstance(node, promql.SubqueryExpr | promql.UnaryExpr):
        return result_labels(node.expr, catalogue)
    if isinstance(node, promql.AggregateExpr):
        return _aggregated_labels(node, catalogue)
    if isinstance(node, promql.Call):
        return _call_labels(node, catalogue)
    if isinstance(node, promql.BinaryExpr):
        return _binary_labels(node, catalogue)
    return CLOSED_EMPTY


def _selected_labels(selector: promql.VectorSelector, catalogue: Catalogue | None) -> LabelSet:
    name = metric_name(selector)
    shape = catalogue.get(name) if catalogue and name else None
    if shape is None:
        return ANY
    matched = frozenset(m.name for m in selector.matchers.matchers if m.name != "__name__")
    return LabelSet(shape.labels | TARGET_LABELS | matched)


def _aggregated_labels(node: promql.AggregateExpr, catalogue: Catalogue | None) -> LabelSet:
    inner = result_labels(node.expr, catalogue)
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


def _call_labels(node: promql.Call, catalogue: Catalogue | None) -> LabelSet:
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
    labels = result_labels(vectors[0], catalogue)
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


def _binary_labels(node: promql.BinaryExpr, catalogue: Catalogue | None) -> LabelSet:
    op = operator(node)
    lhs, rhs = node.lhs, node.rhs
    if is_scalar(lhs):
        return result_labels(rhs, catalogue)
    if is_scalar(rhs):
        return result_labels(lhs, catalogue)
    left = result_labels(lhs, catalogue)
    if op in SET_OPERATORS:
        return left.union(result_labels(rhs, catalogue)) if op == "or" else left
    modifier = node.modifier
    matching = modifier.matching if modifier is not None else None
    card = modifier.card if modifier is not None else promql.VectorMatchCardinality.OneToOne
    if card == promql.VectorMatchCardinality.OneToMany:
        side, included = result_labels(rhs, catalogue), left
    else:
        side, included = left, result_labels(rhs, catalogue)
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


COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})
"""Functions that read a range of a counter and take its resets into account."""
_COUNTER_SUFFIXES = ("_total", "_count", "_sum", "_bucket")
_GAUGE_SUFFIXES = ("_ratio", "_percent", "_celsius", "_info")
"""Names no counter takes. Not `_bytes` or `_seconds`: exporters such as elasticsearch_exporter name counters so."""
_RATE_OPERATIONS = ("rate", "irate", "increase", "ratio", "deriv")


def matchers(selector: promql.VectorSelector) -> list[promql.Matcher]:
    """Every label matcher of the selector, those of each `or` alternative included."""
    found = list(selector.matchers.matchers)
    for alternative in selector.matchers.or_matchers:
        found.extend(alternative)
    return found


def is_counter(name: str, catalogue: Catalogue | None) -> bool | None:
    """Whether the series only goes up: as the catalogue declares it, else as its name suggests; None when the
    name does not tell. A declared histogram's base name is its native form, which `rate` reads like a counter."""
    shape = catalogue.get(name) if catalogue else None
    if shape is not None:
        return shape.counter
    if catalogue and catalogue.get(f"{name}_bucket") is not None:
        return True
    if ":" in name:
        operations = name.rsplit(":", 1)[1]
        return False if operations.startswith(_RATE_OPERATIONS) else None
    if name.endswith(_COUNTER_SUFFIXES):
        return True
    if name == "up" or name.endswith(_GAUGE_SUFFIXES):
        return False
    return None


_MATCH_OPERATORS = (
    (promql.MatchOp.Equal, "="),
    (promql.MatchOp.NotEqual, "!="),
    (promql.MatchOp.Re, "=~"),
    (promql.MatchOp.NotRe, "!~"),
)


def matcher_texts(matcher: promql.Matcher) -> tuple[str, ...]:
    """How a source may spell the matcher, the exact spelling first and its parts after (for `Query.at_first`)."""
    spelled = matcher.name + next(text for op, text in _MATCH_OPERATORS if op == matcher.op)
    return (f'{spelled}"{matcher.value}"', f"{spelled}'{matcher.value}'", spelled, str(matcher.name))


VARIABLE_STAND_IN = "var_"
"""How a dashboard query's `$variable` reads where it stands for a label or metric name (see `stand_in`)."""
