"""The series a query selects: its selectors, the metric each reads, their label matchers and how they are spelled."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import promql_parser as promql

from compiler.promql.nodes import walk

_MATCH_OPERATORS = (
    (promql.MatchOp.Equal, "="),
    (promql.MatchOp.NotEqual, "!="),
    (promql.MatchOp.Re, "=~"),
    (promql.MatchOp.NotRe, "!~"),
)


def selectors(node: promql.Expr) -> Iterator[promql.VectorSelector]:
    return (child for child in walk(node) if isinstance(child, promql.VectorSelector))


def metric_names(selector: promql.VectorSelector) -> list[str]:
    """The metrics a selector reads: its name, else each exact `__name__` matcher (two select nothing, but a
    check of what a query reads must see both)."""
    if selector.name:
        return [str(selector.name)]
    return [
        str(matcher.value)
        for matcher in selector.matchers.matchers
        if matcher.name == "__name__" and matcher.op == promql.MatchOp.Equal
    ]


def metric_name(selector: promql.VectorSelector) -> str | None:
    """The metric a selector reads: its name, or an exact `__name__` matcher."""
    return next(iter(metric_names(selector)), None)


def matchers(selector: promql.VectorSelector) -> list[promql.Matcher]:
    """Every label matcher of the selector, those of each `or` alternative included."""
    found = list(selector.matchers.matchers)
    for alternative in selector.matchers.or_matchers:
        found.extend(alternative)
    return found


def match_operator(matcher: promql.Matcher) -> str:
    """The matcher's operator as PromQL spells it: `=`, `!=`, `=~` or `!~`."""
    return next(text for op, text in _MATCH_OPERATORS if op == matcher.op)


def matcher_texts(matcher: promql.Matcher) -> tuple[str, ...]:
    """How a source may spell the matcher, the exact spelling first and its parts after (for `Query.at_first`)."""
    spelled = matcher.name + match_operator(matcher)
    return (f'{spelled}"{matcher.value}"', f"{spelled}'{matcher.value}'", spelled, str(matcher.name))


def selects(selector: promql.VectorSelector, labels: Mapping[str, str]) -> bool:
    """Whether the selector selects a series with these labels (`__name__` among them), as Prometheus matches:
    regexes anchored at both ends, a missing label read as the empty value, `or` alternatives each enough."""
    if selector.name and labels.get("__name__") != selector.name:
        return False
    alternatives = [list(selector.matchers.matchers), *(list(group) for group in selector.matchers.or_matchers)]
    return any(all(_holds(matcher, labels.get(str(matcher.name), "")) for matcher in group) for group in alternatives)


def _holds(matcher: promql.Matcher, value: str) -> bool:
    operator = match_operator(matcher)
    if operator in ("=", "!="):
        return (value == matcher.value) == (operator == "=")
    matched = re.fullmatch(f"(?:{matcher.value})", value, re.DOTALL) is not None
    return matched == (operator == "=~")
