"""Whether a test's verdict can depend on the engine: Prometheus 2 and 3 disagree on a window's left edge.

An expectation depends on the rules' values at the evaluation times that decide it: an `Evaluates` on its own
instant query at `at`; an alert check on every rule evaluation from `at - for - keep_firing_for` to the last one
at or before `at` (a pending alert needs each of them true, a quiet one needs just one false). At each of those
times every window the expressions read, through the records they read (`compiler.promql.window_edges`), is
compared on both engines: over the test's input series the window's samples are computed exactly, and an edge
sample counts only when it changes the function's result beyond rounding (a steady counter's rate does not change); over
recorded series and subquery steps an edge sample always counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

import promql_parser

from compiler.dsl.durations import format_duration
from compiler.dsl.rule_tests import RuleTest
from compiler.dsl.rules import Alert
from compiler.dsl.series import format_number
from compiler.promql.parse import parse as parse_promql
from compiler.promql.range_functions import UNKNOWN, Engine, Result, range_function_value
from compiler.promql.selectors import selects
from compiler.promql.series_notation import Sample, expand
from compiler.promql.window_edges import FixedEdge, SelectorRead, milliseconds, multiples, window_reads

ROUNDING = 1e-9
"""Results this close are the same: the engines round the same extrapolation in a different order (a steady
counter's rate may differ in its last bit), which no threshold of a real test sits on."""


@dataclass(frozen=True)
class Dependency:
    """An expression an expectation reads, and the evaluation times (ms) whose results decide it."""

    expr: str
    times_ms: tuple[int, ...]


def hold_of(alert: Alert) -> timedelta:
    """How long before an evaluation the alert's state reaches back: its `for:` and `keep_firing_for:`."""
    return (alert.for_ or timedelta(0)) + (alert.keep_firing_for or timedelta(0))


def alert_dependency(expr: str, at: timedelta, hold: timedelta, evaluation_interval: timedelta) -> Dependency:
    """An alert's expression at every rule evaluation that decides its state at `at`: promtool compares the
    alerts of the last evaluation at or before `at`, and that state depends on the `hold` (for +
    keep_firing_for) before it."""
    interval = milliseconds(evaluation_interval)
    last = milliseconds(at) // interval * interval
    return Dependency(expr, tuple(multiples(max(0, last - milliseconds(hold)), last, interval)))


class TestSamples:
    """The samples of a test's input series, rendered and expanded as promtool stores them."""

    def __init__(self, test: RuleTest):
        self.test = test

    @cached_property
    def series(self) -> list[tuple[str, dict[str, str], list[Sample]]]:
        interval = milliseconds(self.test.interval)
        found = []
        for series in self.test.series:
            ast = parse_promql(series.selector)
            assert isinstance(ast, promql_parser.VectorSelector)
            labels = {str(m.name): str(m.value) for m in ast.matchers.matchers}
            if ast.name:
                labels["__name__"] = str(ast.name)
            samples = expand(series.render(self.test.interval, self.test.samples), interval)
            found.append((series.selector, labels, samples))
        return found


def engine_disagreement(
    samples: TestSamples,
    dependencies: Sequence[Dependency],
    records: Mapping[str, Sequence[str]],
    evaluation_interval: timedelta,
) -> str | None:
    """Why the expectation's verdict can differ between Prometheus 2 and 3 (with how to avoid it), or None."""
    interval = milliseconds(evaluation_interval)
    for dependency in dependencies:
        for at_ms in dependency.times_ms:
            reads = window_reads(dependency.expr, at_ms, records, interval)
            for edge in reads.fixed_edges:
                return _fixed_edge_message(edge)
            for read in reads.selectors:
                message = _selector_disagreement(read, samples)
                if message:
                    return message
    return None


def _selector_disagreement(read: SelectorRead, samples: TestSamples) -> str | None:
    for selector, labels, series in samples.series:
        if not selects(read.selector, labels):
            continue
        if not any(sample.at_ms == read.start_ms for sample in series):
            continue
        older, newer = _result(read, series, Engine.PROMETHEUS_2), _result(read, series, Engine.PROMETHEUS_3)
        if _same(older, newer):
            continue
        what = "the 5m lookback" if read.instant else "the window"
        return (
            f"{read.text} evaluated at {_time(read.evaluated_ms)} has a sample of {selector} exactly on the left "
            f"edge of {what} ({_time(read.start_ms)}), which Prometheus 2 counts and 3 does not: "
            f"{_shown(older)} against {_shown(newer)}; keep the series steady across every window the "
            "expectation reads (a constant rate, or a stepped counter sampled once per step: interval= its "
            "period) or move the expectation out of the change's reach"
        )
    return None


def _result(read: SelectorRead, series: list[Sample], engine: Engine) -> Result:
    """What the read yields on `engine`: its window's samples under its function, or an instant selector's
    newest sample in the lookback (none when that is a staleness marker)."""
    closed = engine is Engine.PROMETHEUS_2
    window = [
        sample
        for sample in series
        if (read.start_ms <= sample.at_ms if closed else read.start_ms < sample.at_ms) and sample.at_ms <= read.end_ms
    ]
    if read.instant:
        return None if not window or window[-1].stale else window[-1].value
    fresh = [sample for sample in window if not sample.stale]
    return range_function_value(read.function, fresh, read.start_ms, read.end_ms, read.range_ms, engine)


def _same(older: Result, newer: Result) -> bool:
    if older is UNKNOWN or newer is UNKNOWN:
        return False
    if isinstance(older, float) and isinstance(newer, float):
        return math.isclose(older, newer, rel_tol=ROUNDING, abs_tol=ROUNDING) or (
            math.isnan(older) and math.isnan(newer)
        )
    return older == newer


def _fixed_edge_message(edge: FixedEdge) -> str:
    return (
        f"{edge.text} evaluated at {_time(edge.evaluated_ms)} has {edge.what} exactly on its window's left edge "
        f"({_time(edge.edge_ms)}), which Prometheus 2 counts and 3 does not; use a range that is not a multiple "
        "of the evaluation interval (or of the subquery's step), or move the expectation"
    )


def _shown(result: Result) -> str:
    if result is None:
        return "no value"
    if isinstance(result, float):
        return format_number(result) if math.isfinite(result) else str(result)
    return "a result moncc does not model"


def _time(at_ms: int) -> str:
    return format_duration(timedelta(milliseconds=at_ms))
