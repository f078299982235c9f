"""What a PromQL function does to the labels of the vector it is given: `histogram_quantile` removes `le`,
`label_replace` and `label_join` write a label, `info` adds labels not known; and the labels `absent()` gives
its one series, read from the matchers of the selector it is given."""

from __future__ import annotations

import re
from collections.abc import Sequence

import promql_parser as promql

from compiler.promql.grafana_variables import VARIABLE
from compiler.promql.label_sets import CLOSED_EMPTY, LabelSet
from compiler.promql.nodes import LABEL_WRITERS, unwrap

_MATCHES_EVERYTHING = re.compile(r"\^?(?:\.\*|\(\.\*\)|\(\?:\.\*\))\$?")
_FIRST_GROUP = frozenset({"$1", "${1}"})
_LE = frozenset({"le"})


def function_labels(name: str, args: Sequence[promql.Expr], labels: LabelSet) -> LabelSet:
    """The labels of the function's result, where `labels` are those of the vector it is given."""
    if name == "histogram_quantile":
        return labels.without(_LE)
    if name in LABEL_WRITERS:
        strings = [str(arg.val) if isinstance(arg, promql.StringLiteral) else None for arg in map(unwrap, args)]
        if name == "label_replace" and len(strings) == 5:
            return _label_replaced(labels, *strings[1:])
        if name == "label_join" and len(strings) >= 3:
            return _label_joined(labels, strings[1], strings[2], strings[3:])
    elif name == "info":
        return LabelSet(None, frozenset(), labels.certain, labels.values)
    return labels


def absent_labels(arg: promql.Expr) -> LabelSet:
    """The labels `absent()` or `absent_over_time()` gives its one series, given its argument."""
    selector = unwrap(arg)
    if isinstance(selector, promql.MatrixSelector):
        selector = selector.vector_selector
    return _absent_labels(selector) if isinstance(selector, promql.VectorSelector) else CLOSED_EMPTY


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
