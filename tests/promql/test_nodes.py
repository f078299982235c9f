"""Walking a syntax tree: every node once, in the order the PromQL parser's own walk visits them."""

from __future__ import annotations

import promql_parser
import pytest

from compiler.promql.nodes import is_scalar, walk

EXPRESSIONS = [
    'rate(a:b[5m]) + max_over_time(c:d[1h:1m]) + topk(3, x) + count_values("v", y)',
    'label_replace(-(a), "b", "c", "d", "e") or on (job) vector(1)',
    "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m] offset 1h)))",
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_walk_visits_what_the_parser_walk_visits_in_its_order(expr: str) -> None:
    ast = promql_parser.parse(expr)
    visited: list[str] = []
    promql_parser.walk(ast, lambda node: visited.append(f"{type(node).__name__} {node}"))
    assert [f"{type(node).__name__} {node}" for node in walk(ast)] == visited


def test_scalars() -> None:
    assert is_scalar(promql_parser.parse("(2 * scalar(up)) - 1"))
    assert not is_scalar(promql_parser.parse("2 * up"))
