"""The labels of a selector's series: those the catalogue or the recording rules declare for its name, each
label a matcher requires (it does not match the empty value), and the only values a matcher lets through
(`="x"`, `=~"x|y"`)."""

from __future__ import annotations

import re
from functools import lru_cache

import promql_parser as promql

from compiler.promql.grafana_variables import VARIABLE, VARIABLE_STAND_IN
from compiler.promql.label_sets import ANY, DeclaredSeries, LabelSet

_LITERAL_ALTERNATIVES = re.compile(r"[^\\.^$*+?()\[\]{}|]+(?:\|[^\\.^$*+?()\[\]{}|]+)*")
_EQUAL = promql.MatchOp.Equal
_NOT_EQUAL = promql.MatchOp.NotEqual
_RE = promql.MatchOp.Re


def selector_labels(
    selector: promql.VectorSelector, declared: DeclaredSeries | None
) -> tuple[LabelSet, frozenset[str] | None]:
    """A selector's series: those its name declares, with the labels its matchers require; and every label
    they can carry (None when not known)."""
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
    return labels, read


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
