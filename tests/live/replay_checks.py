"""What a replay reads of a promtool test file, as values: the rules it loads (`Rules`), the checks of its tests
(`AlertCheck`, `ExprCheck`), the checks replayed together at one evaluation time (`Replay`) and those skipped
with their reason (`Skipped`); and how the replay spells label sets and durations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from compiler.dsl.durations import format_duration, parse_duration
from compiler.promql.series_notation import Sample
from compiler.promql.window_edges import milliseconds

Labels = tuple[tuple[str, str], ...]
"""A label set, sorted by name."""
GroupKey = tuple[str, str]
"""A rule group: its file's name and its own."""


@dataclass(frozen=True)
class Rule:
    group: GroupKey
    index: int
    expr: str
    for_ms: int


@dataclass(frozen=True)
class Rules:
    """The rule files a test file loads, as read once (`texts`: each file's name and text; build/ may be rebuilt
    while the replays run), and their rules by the name of each record and alert (a name may have several)."""

    texts: tuple[tuple[str, str], ...]
    records: Mapping[str, tuple[Rule, ...]]
    alerts: Mapping[str, tuple[Rule, ...]]


@dataclass(frozen=True)
class AlertCheck:
    """An `alert_rule_test`: the alerts of this name promtool expects firing, each (labels, annotations)."""

    alertname: str
    expected: tuple[tuple[Labels, Labels], ...]

    def __str__(self) -> str:
        return self.alertname


@dataclass(frozen=True)
class ExprCheck:
    """A `promql_expr_test`: the samples promtool expects the expression to return."""

    expr: str
    expected: tuple[tuple[Labels, float], ...]

    def __str__(self) -> str:
        return " ".join(self.expr.split())


Check = AlertCheck | ExprCheck


@dataclass(frozen=True)
class Replay:
    """The checks of one promtool test at one evaluation time, replayed together on one server."""

    test: str
    eval_ms: int
    evaluation_interval_ms: int
    series: tuple[tuple[Labels, tuple[Sample, ...]], ...]
    checks: tuple[Check, ...]

    def __str__(self) -> str:
        return f"{self.test} @ {duration_text(self.eval_ms)}"


@dataclass(frozen=True)
class Skipped:
    test: str
    eval_ms: int
    check: str
    reason: str

    def __str__(self) -> str:
        return f"{self.test} @ {duration_text(self.eval_ms)}: {self.check}: {self.reason}"


def sorted_labels(labels: Mapping[str, str]) -> Labels:
    return tuple(sorted(labels.items()))


def duration_ms(duration: str) -> int:
    return milliseconds(parse_duration(str(duration)))


def duration_text(ms: int) -> str:
    return format_duration(timedelta(milliseconds=ms))
