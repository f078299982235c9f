"""The label-set value type and its algebra: which labels a result's series may carry, which every one surely
carries, and the only values some of those can take, with what each PromQL operation does to them.

A `LabelSet` is closed (exactly `known`) where every series read is known, or open (any label but `excluded`,
those the query removed) where some are not. `DeclaredSeries` is where the labels of series read by name are
known: the metrics catalogue and the recording rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

Values = Mapping[str, frozenset[str]]
_NO_VALUES: Values = MappingProxyType({})


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
