"""Validators for the names, expressions and templates that Prometheus would reject at load time."""

from __future__ import annotations

import re
from functools import lru_cache

import promql_parser

from compiler.dsl.go_template import check_template
from compiler.dsl.promql_text import for_parser, lexical_error

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")

_NON_VECTOR_RESULTS = (promql_parser.MatrixSelector, promql_parser.SubqueryExpr, promql_parser.StringLiteral)


def check_label_name(name: str) -> str:
    if not LABEL_NAME.fullmatch(name):
        raise ValueError(f"invalid label name {name!r}: must match [a-zA-Z_][a-zA-Z0-9_]*")
    if name.startswith("__"):
        raise ValueError(f"invalid label name {name!r}: names starting with '__' are reserved")
    return name


def check_text(text: str) -> str:
    """Refuse what is not Unicode text (a lone surrogate, from a `\\ud800` escape): it has no UTF-8 form to write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"{text[error.start]!r} at offset {error.start} is a lone surrogate, not text") from None
    return text


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
    refused = lexical_error(expr)
    if refused:
        raise ValueError(f"invalid PromQL: {refused}")
    try:
        ast = promql_parser.parse(for_parser(expr))
    except ValueError as error:
        raise ValueError(f"invalid PromQL: {error}") from None
    inner = ast
    while isinstance(inner, promql_parser.ParenExpr):
        inner = inner.expr
    if isinstance(inner, _NON_VECTOR_RESULTS):
        raise ValueError(f"a rule's expression must return an instant vector or a scalar, not a {type(inner).__name__}")
    return ast


def check_templated_map(values: dict[str, str]) -> dict[str, str]:
    """Labels or annotations whose values are Go templates: valid names, balanced templates, sorted by name."""
    for name, text in values.items():
        check_label_name(name)
        try:
            check_template(check_text(text))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return dict(sorted(values.items()))
