"""Parsing a rule's PromQL as Prometheus would, through the PromQL parser moncc uses."""

from __future__ import annotations

from functools import lru_cache

import promql_parser

from compiler.promql.nodes import unwrap
from compiler.promql.text import for_parser, lexical_error

_NON_VECTOR_RESULTS = (promql_parser.MatrixSelector, promql_parser.SubqueryExpr, promql_parser.StringLiteral)


@lru_cache(maxsize=32768)
def parse(expr: str) -> promql_parser.Expr:
    """Parse any PromQL (a selector, a test's expression) as Prometheus reads it; raises ValueError.

    Every parse goes through here: the parser moncc uses reads escapes inside raw strings, Prometheus does not.
    Cached: the window rule reads the same expressions (and the records they read) at every evaluation time.
    """
    return promql_parser.parse(for_parser(expr))


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
        ast = parse(expr)
    except ValueError as error:
        raise ValueError(f"invalid PromQL: {error}") from None
    inner = unwrap(ast)
    if isinstance(inner, _NON_VECTOR_RESULTS):
        raise ValueError(f"a rule's expression must return an instant vector or a scalar, not a {type(inner).__name__}")
    return ast
