"""Validators for the names, expressions and templates that Prometheus would reject at load time."""

from __future__ import annotations

import re
from functools import lru_cache

import promql_parser

from compiler.dsl.promql_text import foreign_blank

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")

_NON_VECTOR_RESULTS = (promql_parser.MatrixSelector, promql_parser.SubqueryExpr, promql_parser.StringLiteral)


def check_label_name(name: str) -> str:
    if not LABEL_NAME.fullmatch(name):
        raise ValueError(f"invalid label name {name!r}: must match [a-zA-Z_][a-zA-Z0-9_]*")
    if name.startswith("__"):
        raise ValueError(f"invalid label name {name!r}: names starting with '__' are reserved")
    return name


def check_metric_name(name: str) -> str:
    if not METRIC_NAME.fullmatch(name):
        raise ValueError(f"invalid metric name {name!r}: must match [a-zA-Z_:][a-zA-Z0-9_:]*")
    return name


@lru_cache(maxsize=32768)
def parse_expr(expr: str) -> promql_parser.Expr:
    """Parse PromQL as Prometheus would for a rule: it must evaluate to an instant vector or a scalar.

    Cached: validation parses every expression, and lint reads the same syntax trees again.
    """
    if not expr.strip():
        raise ValueError("empty expression")
    blank = foreign_blank(expr)
    if blank:
        offset, char = blank
        raise ValueError(f"invalid PromQL: unexpected character {char!r} at offset {offset}: not a blank to Prometheus")
    try:
        ast = promql_parser.parse(expr)
    except ValueError as error:
        raise ValueError(f"invalid PromQL: {error}") from None
    inner = ast
    while isinstance(inner, promql_parser.ParenExpr):
        inner = inner.expr
    if isinstance(inner, _NON_VECTOR_RESULTS):
        raise ValueError(f"a rule's expression must return an instant vector or a scalar, not a {type(inner).__name__}")
    return ast


def check_template(text: str) -> str:
    """Reject a Go template whose `{{` and `}}` do not pair up (string literals inside actions are skipped)."""
    position = 0
    while True:
        opening = text.find("{{", position)
        closing = text.find("}}", position)
        if closing != -1 and (opening == -1 or closing < opening):
            raise ValueError(f"unbalanced template: '}}}}' without '{{{{' at offset {closing}")
        if opening == -1:
            return text
        position = _end_of_action(text, opening + 2)


def check_templated_map(values: dict[str, str]) -> dict[str, str]:
    """Labels or annotations whose values are Go templates: valid names, balanced templates, sorted by name."""
    for name, text in values.items():
        check_label_name(name)
        try:
            check_template(text)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return dict(sorted(values.items()))


def _end_of_action(text: str, start: int) -> int:
    """Index just past the `}}` closing the action that begins at `start`, skipping quoted strings."""
    index = start
    while index < len(text):
        char = text[index]
        if char in "\"'`":
            end = _end_of_quoted(text, index)
            if end == -1:
                break
            index = end
        elif text.startswith("}}", index):
            return index + 2
        elif text.startswith("{{", index):
            raise ValueError(f"unbalanced template: '{{{{' inside an action at offset {index}")
        else:
            index += 1
    raise ValueError(f"unbalanced template: '{{{{' at offset {start - 2} is never closed")


def _end_of_quoted(text: str, start: int) -> int:
    quote = text[start]
    index = start + 1
    while index < len(text):
        if text[index] == "\\" and quote != "`":
            index += 2
            continue
        if text[index] == quote:
            return index + 1
        index += 1
    return -1
