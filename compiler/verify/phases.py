"""Phase-shifted copies of a test: its alert checks as a real Prometheus sees them, off the sample grid.

promtool evaluates every rule exactly where a test's samples are (every `evaluation_interval` E from 0); a real
Prometheus evaluates each group at its own offset φ inside the interval, after the scrape. `increase()` and
`rate()` then extrapolate to another window end, and a threshold, a `for:` or a `{{ $value }}` annotation can
read differently: a test that holds only on the grid proves nothing about production.

A copy with phase φ delays every input sample by D = E - φ, written on a finer `interval` (the greatest common
divisor of the test's interval and D) with missing entries between them, so the samples keep their spacing
(and staleness); every alert check moves from t to t + E. Each evaluation of the copy then sees the samples as
a server whose group runs φ after the scrape sees them, and the check at t + E is that server's first
evaluation after t. Two phases are run, early and late in the interval, each moved off the sample grid when
the test samples more often than it evaluates (a server evaluating at a sample's time is the grid again).

Left out of the copies, and said so: expression checks (`Evaluates`), which are exact values at grid times and
move with the phase by design; and the alert checks of a test whose alert reads the clock (`time()`,
`timestamp()`, the date functions, `@` a fixed time), which the delay would move by D.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from typing import Any

import promql_parser

from compiler.dsl.durations import format_duration, parse_duration
from compiler.dsl.rules import Record
from compiler.load.rules import RuleModule
from compiler.model.test_links import LinkedTest
from compiler.promql.nodes import function_name, walk
from compiler.promql.parse import parse as parse_promql
from compiler.promql.selectors import metric_name
from compiler.promql.series_notation import expand
from compiler.promql.window_edges import milliseconds

PHASES = (Fraction(1, 4), Fraction(3, 4))
"""Where in the evaluation interval the copies evaluate, as a fraction of it: early and late."""

CLOCK_FUNCTIONS = frozenset({"time", "timestamp"})
DATE_FUNCTIONS = frozenset(
    {"minute", "hour", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "month", "year"}
)
"""Read the evaluation time when called without an argument."""


@dataclass(frozen=True)
class Phase:
    """Rules evaluated `after` the samples, every `evaluation_interval`."""

    after: timedelta
    evaluation_interval: timedelta

    @property
    def delay(self) -> timedelta:
        """How much later than on the grid the copy's samples come."""
        return self.evaluation_interval - self.after

    def __str__(self) -> str:
        return format_duration(self.after)

    def test_name(self, name: str) -> str:
        """The copy's name in promtool's report: the test's own, saying the phase."""
        return f"{name} [rules evaluated {self} after the samples]"

    def checked_at(self, at: timedelta) -> timedelta:
        """When the copy checks what the test checks at `at`."""
        return at + self.evaluation_interval


def phases_of(
    test: LinkedTest, evaluation_interval: timedelta, clock_alerts: frozenset[str] = frozenset()
) -> tuple[Phase, ...]:
    """The phases a test also runs at: none when `unshifted_reason` says why not."""
    if unshifted_reason(test, clock_alerts) is not None:
        return ()
    interval, sampled = milliseconds(evaluation_interval), milliseconds(test.test.interval)
    grid = math.gcd(interval, sampled)
    phases = []
    for fraction in PHASES:
        after = int(interval * fraction)
        if after % grid == 0:
            after += grid // 2
        if 0 < after < interval and after % grid:
            phases.append(Phase(timedelta(milliseconds=after), evaluation_interval))
    return tuple(dict.fromkeys(phases))


def unshifted_reason(test: LinkedTest, clock_alerts: frozenset[str] = frozenset()) -> str | None:
    """Why the test has no phase-shifted copies, or None when it has."""
    if not test.alert_checks:
        return "it checks only expressions, which are exact values at grid times"
    clocked = sorted({check.alert for check in test.alert_checks} & clock_alerts)
    if clocked:
        return f"alert {clocked[0]} reads the clock, which a shifted copy would move"
    try:
        for series in test.test.series:
            expand(series.render(test.test.interval, test.test.samples), milliseconds(test.test.interval))
    except ValueError:
        return "its series notation is not one moncc reads back"
    return None


def clock_alerts(module: RuleModule, reads: Sequence[RuleModule] = ()) -> frozenset[str]:
    """The module's alerts whose expression reads the clock, directly or through the records it reads."""
    records: dict[str, list[Record]] = {}
    for each in (*reads, module):
        for group in each.groups:
            for record in group.records:
                records.setdefault(record.name, []).append(record)
    clocked: dict[str, bool] = {}

    def reads_clock(expr: str, seen: frozenset[str]) -> bool:
        for node in walk(parse_promql(expr)):
            if _clock_node(node):
                return True
            name = metric_name(node) if isinstance(node, promql_parser.VectorSelector) else None
            if name in records and name not in seen:
                if name not in clocked:
                    clocked[name] = any(reads_clock(record.expr, seen | {name}) for record in records[name])
                if clocked[name]:
                    return True
        return False

    return frozenset(
        alert.name for group in module.groups for alert in group.alerts if reads_clock(alert.expr, frozenset())
    )


def _clock_node(node: promql_parser.Expr) -> bool:
    name = function_name(node)
    if name in CLOCK_FUNCTIONS or (name in DATE_FUNCTIONS and isinstance(node, promql_parser.Call) and not node.args):
        return True
    if isinstance(node, promql_parser.VectorSelector | promql_parser.SubqueryExpr):
        return node.at is not None and node.at.at is not None
    return False


def shifted_test(document: Mapping[str, Any], phase: Phase) -> dict[str, Any]:
    """A copy of an emitted promtool test group (`tests:` entry) as a server evaluating at `phase` sees it."""
    interval = milliseconds(parse_duration(document["interval"]))
    delay = milliseconds(phase.delay)
    step = math.gcd(interval, delay)
    copy = {key: value for key, value in document.items() if key != "promql_expr_test"}
    copy["name"] = phase.test_name(document["name"])
    copy["interval"] = format_duration(timedelta(milliseconds=step))
    copy["input_series"] = [
        {**series, "values": delayed_values(series["values"], interval, delay, step)}
        for series in document["input_series"]
    ]
    copy["alert_rule_test"] = [
        {**check, "eval_time": format_duration(phase.checked_at(parse_duration(check["eval_time"])))}
        for check in document["alert_rule_test"]
    ]
    return copy


def delayed_values(values: str, interval_ms: int, delay_ms: int, step_ms: int) -> str:
    """`values` (sampled every `interval_ms`) delayed by `delay_ms`, written every `step_ms` with `_` between
    samples: the same samples, values and staleness markers, each `delay_ms` later."""
    items: list[str] = []
    position = 0
    for sample in expand(values, interval_ms):
        index = (sample.at_ms + delay_ms) // step_ms
        gap = index - position
        if gap:
            items.append("_" if gap == 1 else f"_x{gap}")
        items.append("stale" if sample.stale else _exact(sample.value))
        position = index + 1
    return " ".join(items)


def _exact(value: float) -> str:
    """The value as promtool reads back exactly the same float: `3` for whole numbers, else Python's shortest
    round-trip text (`0.30000000000000004`, `1e-05`, `inf`, `nan`)."""
    if value.is_integer() and abs(value) < 2**53 and math.copysign(1, value) > 0:
        return str(int(value))
    return repr(value)


def checked_expectation(test: LinkedTest, phase: Phase, alert: str, shifted_at: str) -> int | None:
    """The index of the test's alert check that a copy's check of `alert` at `shifted_at` (as promtool prints
    it) moved."""
    for index, check in enumerate(test.alert_checks):
        if check.alert == alert and format_duration(phase.checked_at(check.at)) == shifted_at:
            return index
    return None
