"""The range windows an expression reads, its own and those of the recording rules it reads.

A sample on a window's left edge counts in Prometheus 2 and not in 3, so a test must know every window that
decides its result, however deep in the rules it reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import promql_parser

from compiler.promql.nodes import walk
from compiler.promql.parse import parse as parse_promql


def range_windows(
    expr: str, records: Mapping[str, Sequence[str]], seen: frozenset[str] = frozenset()
) -> set[timedelta]:
    """Every range in `expr` and, transitively, in the expressions `records` gives for the names it reads."""
    windows: set[timedelta] = set()
    read: set[str] = set()
    for node in walk(parse_promql(expr)):
        name = node.name if isinstance(node, promql_parser.VectorSelector) else None
        if name is not None and name in records and name not in seen:
            read.add(name)
        if isinstance(node, promql_parser.MatrixSelector | promql_parser.SubqueryExpr) and node.range is not None:
            windows.add(node.range)
    for name in read:
        for recorded in records[name]:
            windows |= range_windows(recorded, records, seen | read)
    return windows
