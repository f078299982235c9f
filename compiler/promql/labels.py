"""The labels each series of an expression's result can carry, inferred from its syntax tree as Prometheus
computes them: what a selector reads, what an aggregation keeps, what vector matching keeps and copies, what a
function writes.

A result's `LabelSet` says which labels its series may carry (exactly those, or, where some series read are not
known, any label but those the query removed), which every series surely carries, and the only values some of
those can take. `label_tree` labels every node of a tree at once, with every label the series below it can
carry at all, so a check can tell a label the query removed from one no series ever had.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple, Protocol

import promql_parser as promql

from compiler.promql.grafana_variables import VARIABLE, VARIABLE_STAND_IN
from compiler.promql.nodes import (
    ABSENT_FUNCTIONS,
    KEEP_INPUT_AGGREGATIONS,
    LABEL_WRITERS,
    SET_OPERATORS,
    operator,
    unwrap,
)

Values = Mapping[str, frozenset[str]]
_NO_VALUES: Values = MappingProxyType({})
_LITERAL_ALTERNATIVES = re.compile(r"[^\\.^$*+?()\[\]{}|]+(?:\|[^\\.^$*+?()\[\]{}|]+)*")
_MATCHES_EVERYTHING = re.compile(r"\^?(?:\.\*|\(\.\*\)|\(\?:\.\*\))\$?")
_FIRST_GROUP = frozenset({"$1", "${1}"})
_LE = frozenset({"le"})
_EQUAL = promql.MatchOp.Equal
_NOT_EQUAL = promql.MatchOp.NotEqual
_RE = promql.MatchOp.Re


class DeclaredSeries(Protocol):
    """Where the labels of series read by name are known (the metrics catalogue, the recording rules)."""

    def labels_of(self, name: str) -> LabelSet | None:
        """The labels a series of that name carries; None when nothing declares it."""

    def read_of(self, name: str) -> frozenset[str] | None:
        """Every label the series of that name, or those it is recorded from, can carry; None when not known."""


@dataclass(frozen=True, slots=True)
class LabelSet:
    """The labels a result's series may carry: exactly `known` when closed, or any label but `excluded` when
    open. Every series carries each of `certain` (with a non-empty value); `values` are the only values some
    of those can take. Two sets are equal when they allow the same labels."""

    known: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()
    certain: frozenset[str] = field(default=frozenset(), compare=False)
    values: Values = field(default_factory=lambda: _NO_VALUES, compare=False)

    def may_have(self, label: str) -> bool:
        return label in self.known if self.known is not None else label not in self.excluded

    def surely_has(self, label: str) -> bool:
        return label in self.certain

    def without(self, labels: frozenset[str]) -> LabelSet:
        """The labels once these are removed (`without`, `ignoring`, a label deleted)."""
        if not labels:
            return self
        if self.known is not None:
            return LabelSet(self.known - labels, frozenset(), self.certain - labels, _drop(self.values, labels))
        return LabelSet(None, self.excluded | labels, self.certain - labels, _drop(self.values, labels))

    def keep(self, labels: frozenset[str]) -> LabelSet:
        """Only these labels, of those the series may carry (`on`, what `group_left` copies)."""
        return LabelSet(
            frozenset(label for label in labels if self.may_have(label)),
            frozenset(),
            self.certain & labels,
            _only(self.values, labels),
        )

    def grouped(self, labels: frozenset[str]) -> LabelSet:
        """The labels of an aggregation `by` these: the result may carry each of them (where the series
        aggregated cannot, `promql/label-unknown` or `promql/label-missing` says so, once)."""
        return LabelSet(labels, frozenset(), self.certain & labels, _only(self.values, labels))

    def plus(self, labels: frozenset[str], *, certain: bool = False) -> LabelSet:
        """The labels once these are written with values not known (surely non-empty when `certain`)."""
        if not labels:
            return self
        known = self.known | labels if self.known is not None else None
        excluded = frozenset() if self.known is not None else self.excluded - labels
        kept = self.certain | labels if certain else self.certain - labels
        return LabelSet(known, excluded, kept, _drop(self.values, labels))

    def valued(self, label: str, values: frozenset[str]) -> LabelSet:
        """The labels once `label` is written with one of these non-empty values."""
        written = self.plus(frozenset({label}), certain=True)
        return LabelSet(written.known, written.excluded, written.certain, {**written.values, label: values})

    def union(self, other: LabelSet) -> LabelSet:
        """The labels of a result holding either's series (`or`, two rules recording one name)."""
        values = {label: values | other.values[label] for label, values in self.values.items() if label in other.values}
        return LabelSet(*_either(self, other), self.certain & other.certain, values)

    def matched(self, other: LabelSet) -> LabelSet:
        """The labels of series equal on every label to one of the other's (one-to-one matching)."""
        if self.known is not None and other.known is not None:
            known: frozenset[str] | None = self.known & other.known
            excluded = frozenset[str]()
        elif self.known is not None or other.known is not None:
            closed, opened = (self, other) if self.known is not None else (other, self)
            assert closed.known is not None
            known, excluded = closed.known - opened.excluded, frozenset()
        else:
            known, excluded = None, self.excluded | other.excluded
        certain = self.certain | other.certain
        if known is not None:
            certain &= known
        values = dict(self.values)
        for label, values_there in other.values.items():
            both = values[label] & values_there if label in values else values_there
            if both:
                values[label] = both
            else:
                del values[label]
        return LabelSet(known, excluded, certain, values)

    def joined(self, other: LabelSet) -> LabelSet:
        """These labels and the other's, which none of these are (the labels `group_left` copies)."""
        return LabelSet(*_either(self, other), self.certain | other.certain, {**self.values, **other.values})

    def loosened(self, labels: frozenset[str]) -> LabelSet:
        """The labels when these may each be kept or removed (a grouping that names a `$variable`)."""
        return LabelSet(self.known, self.excluded, self.certain & labels, _only(self.values, labels))


CLOSED_EMPTY = LabelSet(frozenset())
ANY = LabelSet()


@dataclass(frozen=True, slots=True)
class Unmatched:
    """Why no series of one side of a binary operation can match one of the other side's: a label that `side`
    (`left` or `right`) always carries and the other never does, or, with `side` None, that both always carry
    with values apart (`left_values`, `right_values`)."""

    label: str
    side: str | None
    left_values: frozenset[str] = frozenset()
    right_values: frozenset[str] = frozenset()


class Matching(NamedTuple):
    """How a binary operation between two vectors matches their series, read once from its modifier (each
    read of the parser's modifier builds it again): `on` the `labels` or ignoring them (`written` False: no
    `on`/`ignoring`, every label), one-to-one or `group_left`/`group_right` (`card`), the labels it copies."""

    on: bool = False
    labels: tuple[str, ...] = ()
    written: bool = False
    card: promql.VectorMatchCardinality = promql.VectorMatchCardinality.OneToOne
    copied: tuple[str, ...] = ()

    @property
    def keyword(self) -> str | None:
        """The modifier as written (`on (job)`, `ignoring (le)`); None when there is none."""
        return f"{'on' if self.on else 'ignoring'} ({', '.join(self.labels)})" if self.written else None

    @property
    def variable(self) -> bool:
        """Whether a dashboard's `$variable` stands for a matched label."""
        return any(label.startswith(VARIABLE_STAND_IN) for label in self.labels)


ONE_TO_ONE = Matching()


def matching_of(node: promql.BinaryExpr) -> Matching:
    modifier = node.modifier
    if modifier is None:
        return ONE_TO_ONE
    matching = modifier.matching
    card = modifier.card
    copied = tuple(modifier.group_labels or ()) if card != promql.VectorMatchCardinality.OneToOne else ()
    if matching is None:
        return Matching(False, (), False, card, copied)
    return Matching(matching.type == promql.LabelModifierType.Include, tuple(matching.labels), True, card, copied)


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
    """A selector's series: those its name declares, with the labels its matchers require."""
    matchers = selector.matchers
    plain = matchers.matchers
    name = selector.name or next(
        (str(matcher.value) for matcher in plain if matcher.name == "__name__" and matcher.op == _EQUAL), None
    )
    found = declared.labels_of(name) if declared is not None and name else None
    labels = found if found is not None else ANY
    if plain and not matchers.or_matchers:
        for matcher in plain:
            label = str(matcher.name)
            if label == "__name__" or label.startswith(VARIABLE_STAND_IN):
                continue
            pinned, required = _constraint(_operator_text(matcher.op), str(matcher.value))
            if pinned is not None:
                labels = labels.valued(label, (pinned & labels.values.get(label, pinned)) or pinned)
            elif required and not labels.surely_has(label):
                labels = labels.plus(frozenset({label}), certain=True)
    read = declared.read_of(name) if found is not None and declared is not None and name else labels.known
    if read is not None and labels.known is not None:
        read = read | labels.known
    return Labelled(selector, labels, read)


def _operator_text(op: promql.MatchOp) -> str:
    if op == _EQUAL:
        return "="
    if op == _NOT_EQUAL:
        return "!="
    return "=~" if op == _RE else "!~"


@lru_cache(maxsize=4096)
def _constraint(operator: str, value: str) -> tuple[frozenset[str] | None, bool]:
    """What a matcher tells of its label: the only values it lets through, when it names them (`="x"`,
    `=~"x|y"`), and whether it selects only series that carry the label (it does not match the empty value).
    A dashboard's `$variable` may stand for anything."""
    if VARIABLE.search(value):
        return None, False
    if operator == "=":
        return (frozenset({value}), True) if value else (None, False)
    if operator == "!=":
        return None, value == ""
    if operator == "=~" and value and _LITERAL_ALTERNATIVES.fullmatch(value):
        return frozenset(value.split("|")), True
    matches_empty = _matches_empty(value)
    if matches_empty is None:
        return None, False
    return None, not matches_empty if operator == "=~" else matches_empty


@lru_cache(maxsize=4096)
def _matches_empty(regex: str) -> bool | None:
    """Whether the anchored regex matches the empty value; None when Python cannot read it."""
    try:
        return re.fullmatch(f"(?:{regex})", "", re.DOTALL) is not None
    except re.error:
        return None


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
        named, variable = _named(modifier.labels)
        if modifier.type == promql.AggModifierType.By:
            grouped = inner.labels.loosened(named) if variable else inner.labels.grouped(named)
        else:
            grouped = inner.labels.loosened(frozenset()) if variable else inner.labels.without(named)
    if op == "count_values" and isinstance(param, promql.StringLiteral):
        grouped = grouped.plus(frozenset({str(param.val)}), certain=True)
    return _labelled(node, grouped, children, empty=inner.empty)


def _named(labels: Iterable[str]) -> tuple[frozenset[str], bool]:
    """The labels a grouping or matching names, and whether one is a dashboard's `$variable`."""
    named = frozenset(labels)
    for label in named:
        if label.startswith(VARIABLE_STAND_IN):
            return named, True
    return named, False


def _called(node: promql.Call, declared: DeclaredSeries | None) -> Labelled:
    args = node.args
    children = tuple(label_tree(arg, declared) for arg in args)
    func = node.func
    name = str(func.name)
    if func.return_type == promql.ValueType.Scalar:
        return _labelled(node, CLOSED_EMPTY, children, scalar=True)
    if name in ABSENT_FUNCTIONS and args:
        selector = unwrap(args[0])
        if isinstance(selector, promql.MatrixSelector):
            selector = selector.vector_selector
        absent = _absent_labels(selector) if isinstance(selector, promql.VectorSelector) else CLOSED_EMPTY
        return _labelled(node, absent, children)
    vector = next(
        (child for child in children if not child.scalar and not isinstance(child.node, promql.StringLiteral)), None
    )
    if vector is None:
        return _labelled(node, CLOSED_EMPTY, children)
    labels = vector.labels
    if name == "histogram_quantile":
        labels = labels.without(_LE)
    elif name in LABEL_WRITERS:
        strings = [str(arg.val) if isinstance(arg, promql.StringLiteral) else None for arg in map(unwrap, args)]
        if name == "label_replace" and len(strings) == 5:
            labels = _label_replaced(labels, *strings[1:])
        elif name == "label_join" and len(strings) >= 3:
            labels = _label_joined(labels, strings[1], strings[2], strings[3:])
    elif name == "info":
        labels = LabelSet(None, frozenset(), labels.certain, labels.values)
    return _labelled(node, labels, children, empty=vector.empty)


def _label_replaced(
    labels: LabelSet, destination: str | None, replacement: str | None, source: str | None, regex: str | None
) -> LabelSet:
    """`label_replace`: where the regex matches the source label's value, the destination label becomes the
    expanded replacement (removed when that is empty); elsewhere the series is left as it is."""
    if destination is None or replacement is None or source is None or regex is None:
        return LabelSet(None, frozenset(), labels.certain, labels.values) if destination is None else labels
    target = frozenset({destination})
    everything = _MATCHES_EVERYTHING.fullmatch(regex) is not None
    if everything and "$" not in replacement:
        return labels.valued(destination, frozenset({replacement})) if replacement else labels.without(target)
    if everything and replacement in _FIRST_GROUP and "(" in regex:
        if source == destination:
            return labels
        if not labels.may_have(source):
            return labels.without(target)
        copied = labels.plus(target, certain=labels.surely_has(source))
        if source in labels.values:
            return copied.valued(destination, labels.values[source])
        return copied
    if not replacement:
        return labels.loosened(labels.certain - target)
    if "$" not in replacement and labels.surely_has(destination):
        if destination in labels.values:
            return labels.valued(destination, labels.values[destination] | {replacement})
        return labels.plus(target, certain=True)
    return labels.plus(target)


def _label_joined(
    labels: LabelSet, destination: str | None, separator: str | None, sources: list[str | None]
) -> LabelSet:
    """`label_join`: the destination becomes the sources' values joined (removed when that is empty)."""
    if destination is None:
        return LabelSet(None, frozenset(), labels.certain, labels.values)
    target = frozenset({destination})
    if not sources:
        return labels.without(target)
    certain = any(source is not None and labels.surely_has(source) for source in sources) or (
        len(sources) > 1 and bool(separator)
    )
    return labels.plus(target, certain=certain)


def _absent_labels(selector: promql.VectorSelector) -> LabelSet:
    """The labels `absent()` gives its one series, as Prometheus does: a name's first `=` matcher sets it (an
    empty value removes it), any other matcher of that name removes it."""
    seen: set[str] = set()
    kept: dict[str, str] = {}
    for matcher in selector.matchers.matchers:
        name = str(matcher.name)
        if name == "__name__":
            continue
        if matcher.op == promql.MatchOp.Equal and name not in seen:
            seen.add(name)
            if matcher.value:
                kept[name] = str(matcher.value)
                continue
        kept.pop(name, None)
    names = frozenset(kept)
    values = {name: frozenset({value}) for name, value in kept.items() if not VARIABLE.search(value)}
    return LabelSet(names, frozenset(), names, values)


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


def unmatched(matching: Matching, left: LabelSet, right: LabelSet) -> Unmatched | None:
    """Why the two vectors of a binary operation can never match, as Prometheus matches them: on the labels
    `on (...)` names, else on every label but those `ignoring (...)` names; None when they may."""
    if not (left.certain or right.certain) or matching.variable:
        return None
    compared = matching.labels if matching.on else sorted((left.certain | right.certain) - set(matching.labels))
    for label in compared:
        if left.surely_has(label) and not right.may_have(label):
            return Unmatched(label, "left")
        if right.surely_has(label) and not left.may_have(label):
            return Unmatched(label, "right")
    for label in compared:
        ours, theirs = left.values.get(label), right.values.get(label)
        if ours and theirs and ours.isdisjoint(theirs):
            return Unmatched(label, None, ours, theirs)
    return None


def matched_labels(matching: Matching, left: LabelSet, right: LabelSet) -> LabelSet:
    """The labels of an arithmetic or comparison operation between two vectors, as Prometheus matches and
    labels its series."""
    named = frozenset(matching.labels)
    if matching.card == promql.VectorMatchCardinality.OneToOne:
        pairs = left.matched(right)
        if matching.variable:
            return pairs.loosened(named if matching.on else frozenset())
        return pairs.keep(named) if matching.on else pairs.without(named)
    many, one = (right, left) if matching.card == promql.VectorMatchCardinality.OneToMany else (left, right)
    copied, copied_variable = _named(matching.copied)
    if copied_variable:
        return LabelSet(None, frozenset(), many.certain, many.values)
    return many.without(copied).joined(one.keep(copied))


def _either(first: LabelSet, second: LabelSet) -> tuple[frozenset[str] | None, frozenset[str]]:
    """The labels either may carry, as `known` and `excluded`."""
    if first.known is not None and second.known is not None:
        return first.known | second.known, frozenset()
    if first.known is None and second.known is None:
        return None, first.excluded & second.excluded
    closed, opened = (first, second) if first.known is not None else (second, first)
    assert closed.known is not None
    return None, opened.excluded - closed.known


def _drop(values: Values, labels: frozenset[str]) -> Values:
    if not values or labels.isdisjoint(values):
        return values
    return {label: found for label, found in values.items() if label not in labels}


def _only(values: Values, labels: frozenset[str]) -> Values:
    return {label: found for label, found in values.items() if label in labels} if values else values
