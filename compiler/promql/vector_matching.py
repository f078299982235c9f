"""How a binary operation between two vectors matches their series, as Prometheus does: the modifier read once
(`on`/`ignoring`, `group_left`/`group_right`), the labels of the result, and why the two sides can never match
when they cannot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import promql_parser as promql

from compiler.promql.grafana_variables import VARIABLE_STAND_IN, named_labels
from compiler.promql.label_sets import LabelSet


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
    copied, copied_variable = named_labels(matching.copied)
    if copied_variable:
        return LabelSet(None, frozenset(), many.certain, many.values)
    return many.without(copied).joined(one.keep(copied))
