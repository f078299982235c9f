"""Grafana variables in a dashboard query (`$job`, `${job:regex}`, `[[job]]`) and the PromQL that stands in
for them, so a query parses before Grafana has filled its variables in."""

from __future__ import annotations

import re
from collections.abc import Iterable

import promql_parser

from compiler.promql.parse import parse_expr
from compiler.promql.text import STRING_LITERAL

VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)(?:[.:][^}]*)?\}|\[\[(\w+)(?:[.:][^\]]*)?\]\]")
VARIABLE_STAND_IN = "var_"
"""How a dashboard query's `$variable` reads where it stands for a label or metric name (see `stand_in`)."""
_STAND_IN_DURATION = "5m"


def variables_used(text: str) -> list[str]:
    """The variable names a text refers to, in order: `$job`, `${job}`, `${job:regex}`, `[[job]]`."""
    return [next(group for group in match.groups() if group) for match in VARIABLE.finditer(text)]


def stand_in(expr: str, as_scalar: bool = False) -> str:
    """The query with each variable replaced by something PromQL accepts where it stands: inside a string
    it stays, inside `[...]` it becomes a duration, elsewhere a label/metric name (or a number)."""
    pieces: list[str] = []
    position = 0
    for string in STRING_LITERAL.finditer(expr):
        pieces.append(_replace_outside_strings(expr[position : string.start()], as_scalar))
        pieces.append(string.group())
        position = string.end()
    pieces.append(_replace_outside_strings(expr[position:], as_scalar))
    return "".join(pieces)


def _replace_outside_strings(text: str, as_scalar: bool) -> str:
    result: list[str] = []
    depth = 0
    position = 0
    for match in VARIABLE.finditer(text):
        segment = text[position : match.start()]
        depth += segment.count("[") - segment.count("]")
        result.append(segment)
        name = next(group for group in match.groups() if group)
        result.append(_STAND_IN_DURATION if depth > 0 else ("1" if as_scalar else f"{VARIABLE_STAND_IN}{name}"))
        position = match.end()
    result.append(text[position:])
    return "".join(result)


def parse_query(expr: str) -> promql_parser.Expr:
    """Parse a dashboard query with its variables stood in for; raise ValueError naming what is wrong."""
    try:
        return parse_expr(stand_in(expr))
    except ValueError as first:
        try:
            return parse_expr(stand_in(expr, as_scalar=True))
        except ValueError:
            raise first from None


def named_labels(labels: Iterable[str]) -> tuple[frozenset[str], bool]:
    """The labels a grouping or matching names, and whether one is a dashboard's `$variable` (its stand-in)."""
    named = frozenset(labels)
    for label in named:
        if label.startswith(VARIABLE_STAND_IN):
            return named, True
    return named, False
