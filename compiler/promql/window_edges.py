"""Which samples an expression's windows hold at an evaluation time, on Prometheus 2 and on Prometheus 3.

The rule, as both engines implement it (and as both promtool binaries confirm):

- a range selector `x[r] offset o` evaluated at `t` holds the samples in `[t-o-r, t-o]` on Prometheus 2 and in
  `(t-o-r, t-o]` on Prometheus 3: the two differ exactly by a sample at `t-o-r`, the left edge;
- an instant selector `x offset o` looks back 5m the same way: `[t-o-5m, t-o]` against `(t-o-5m, t-o]`, so
  the engines differ when the newest sample is exactly 5m old;
- a subquery `expr[r:s] offset o` evaluates `expr` at the multiples of `s` (the evaluation interval when `s`
  is left out) in `[t-o-r, t-o]` on 2 and in `(t-o-r, t-o]` on 3: the engines differ when `t-o-r` is a
  multiple of `s`;
- `@ <time>` replaces `t` (`@ start()`/`@ end()` are `t` itself in a promtool test's instant queries);
- a recording rule has a sample at every evaluation of its group (promtool evaluates every group at every
  `evaluation_interval`), so a window over a recorded series has an edge sample when `t-o-r` is a
  non-negative multiple of that interval; what the record read at each time is follows from its own windows
  at that time, so the walk goes through the records an expression reads.

Windows over the test's input series are returned as `SelectorRead`s (whether an edge sample there changes the
result depends on the samples, which the caller has); edges whose values cannot be known here (recorded
samples, subquery steps) are returned as `FixedEdge`s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import promql_parser as promql

from compiler.promql.nodes import children, function_name, walk
from compiler.promql.parse import parse as parse_promql
from compiler.promql.selectors import metric_name

LOOKBACK_MS = 5 * 60 * 1000
"""The lookback of an instant selector: Prometheus' default `--query.lookback-delta`, which promtool uses."""


def milliseconds(duration: timedelta) -> int:
    return round(duration.total_seconds() * 1000)


@dataclass(frozen=True)
class SelectorRead:
    """A read of the test's input series through `selector`: a range function's window `(start, end]`/`[start,
    end]`, or (`instant`) an instant selector's lookback."""

    selector: promql.VectorSelector
    function: str | None
    start_ms: int
    end_ms: int
    evaluated_ms: int
    text: str
    instant: bool = False

    @property
    def range_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class FixedEdge:
    """A window whose left edge holds a sample on Prometheus 2 only, where the sample's value is not known
    here: a recorded series' evaluation or a subquery's step."""

    text: str
    evaluated_ms: int
    edge_ms: int
    what: str


@dataclass
class WindowReads:
    """Everything an expression reads at one evaluation time, through the records it reads."""

    selectors: list[SelectorRead] = field(default_factory=list)
    fixed_edges: list[FixedEdge] = field(default_factory=list)


def window_reads(
    expr: str, at_ms: int, records: Mapping[str, Sequence[str]], evaluation_interval_ms: int
) -> WindowReads:
    """The reads of `expr` evaluated at `at_ms`: its own and, at the times they were recorded, those of the
    recording rules it reads (named in `records`)."""
    walker = _Walker(records, evaluation_interval_ms)
    walker.visit(parse_promql(expr), at_ms, frozenset())
    return walker.reads


class _Walker:
    def __init__(self, records: Mapping[str, Sequence[str]], evaluation_interval_ms: int):
        self.records = records
        self.interval = evaluation_interval_ms
        self.reads = WindowReads()
        self.visited: set[tuple[str, int]] = set()

    def visit(self, node: promql.Expr, at_ms: int, seen: frozenset[str]) -> None:
        if isinstance(node, promql.VectorSelector):
            self._instant(node, at_ms, seen)
        elif isinstance(node, promql.MatrixSelector):
            self._range(node, None, at_ms, seen)
        elif isinstance(node, promql.SubqueryExpr):
            self._subquery(node, at_ms, seen)
        elif isinstance(node, promql.Call):
            for argument in node.args:
                if isinstance(argument, promql.MatrixSelector):
                    self._range(argument, function_name(node), at_ms, seen)
                else:
                    self.visit(argument, at_ms, seen)
        else:
            for child in children(node):
                self.visit(child, at_ms, seen)

    def _instant(self, node: promql.VectorSelector, at_ms: int, seen: frozenset[str]) -> None:
        end = _at(node.at, at_ms) - _duration(node.offset)
        name = metric_name(node)
        if name is None or name not in self.records or name in seen:
            self.reads.selectors.append(
                SelectorRead(node, None, end - LOOKBACK_MS, end, at_ms, str(node), instant=True)
            )
            return
        recorded = (end // self.interval) * self.interval
        if recorded < 0:
            return
        if end - recorded == LOOKBACK_MS:
            self.reads.fixed_edges.append(FixedEdge(str(node), at_ms, recorded, f"a sample of record {name}"))
        self._record(name, recorded, seen)

    def _range(self, node: promql.MatrixSelector, function: str | None, at_ms: int, seen: frozenset[str]) -> None:
        selector = node.vector_selector
        end = _at(selector.at, at_ms) - _duration(selector.offset)
        start = end - milliseconds(node.range)
        name = metric_name(selector)
        text = f"{function}({node})" if function else str(node)
        if name is None or name not in self.records or name in seen:
            self.reads.selectors.append(SelectorRead(selector, function, start, end, at_ms, text))
            return
        if start >= 0 and start % self.interval == 0:
            self.reads.fixed_edges.append(FixedEdge(text, at_ms, start, f"a sample of record {name}"))
        for recorded in multiples(max(start, 0), end, self.interval):
            self._record(name, recorded, seen)

    def _subquery(self, node: promql.SubqueryExpr, at_ms: int, seen: frozenset[str]) -> None:
        end = _at(node.at, at_ms) - _duration(node.offset)
        start = end - _duration(node.range)
        step = milliseconds(node.step) if node.step is not None else self.interval
        reads_series = any(isinstance(child, promql.VectorSelector) for child in walk(node.expr))
        if start % step == 0 and (start >= 0 or not reads_series):
            self.reads.fixed_edges.append(FixedEdge(str(node), at_ms, start, "a step of the subquery"))
        for inner in multiples(max(start, 0) if reads_series else start, end, step):
            self.visit(node.expr, inner, seen)

    def _record(self, name: str, at_ms: int, seen: frozenset[str]) -> None:
        if (name, at_ms) in self.visited:
            return
        self.visited.add((name, at_ms))
        for expr in self.records[name]:
            self.visit(parse_promql(expr), at_ms, seen | {name})


def multiples(start: int, end: int, step: int) -> range:
    """The multiples of `step` in `[start, end]`."""
    first = -(-start // step) * step
    return range(first, end + 1, step)


def _duration(value: timedelta | None) -> int:
    return milliseconds(value) if value else 0


def _at(modifier: promql.AtModifier | None, at_ms: int) -> int:
    if modifier is None or modifier.at is None:
        return at_ms
    return round(modifier.at.timestamp() * 1000)
