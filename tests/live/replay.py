"""A module's promtool tests replayed in a real Prometheus 2.42: does the server reach promtool's verdicts?

promtool evaluates a test's rules on a clock of its own that starts at 0; a server evaluates at the wall clock's
now. A replay of the checks at test time t picks an anchor T, the whole second at which it starts, and puts test
time τ at T - t + τ: the samples keep their spacing, and their newest one (at t) sits at T. The samples up to
t - `RECENT` are backfilled as blocks (`promtool tsdb create-blocks-from openmetrics`) into a fresh server's
storage; the server starts on them, its groups evaluating every second, and the samples in (t - `RECENT`, t]
are then remote-written into its head while it evaluates (remote write rather than a scrape, which would add
`job` and `instance` to every series, carry one sample per series, and wait up to 10 s for discovery). Samples
after t are never written: promtool's evaluation at t cannot see them.

An alert's verdict is read from /api/v1/rules at the first evaluation of its group that starts after an
evaluation, itself after the write, of every group whose records it reads (through records that read records:
`lastEvaluation` and `evaluationTime`); an expression check is queried once those groups have done the same.
That evaluation happens at T + φ, the phase: the second or two the replay took to get there, as a server
evaluates a little after its newest samples where promtool evaluates exactly on them. It is measured, and must
be shorter than the test file's evaluation interval (promtool's next evaluation).

A fresh server has made only the evaluations since it started, and its clock is not the test's, so a check
that depends on either is not replayed; `replay_plan.plan()` lists each with its reason (`Skipped`):

- an alert with a `for`: promtool's verdict needs that long of evaluations;
- a record read over its history (a range, an offset, or before its own group writes it), or ALERTS;
- absolute time (`@`, `time()`, `timestamp()`, the calendar functions) and subqueries, whose steps fall on
  multiples of the step since 1970: the replay moves test time, and with it every sample, to the wall clock;
- a staleness marker older than `RECENT`: OpenMetrics cannot carry one into the blocks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.live.replay_checks import (
    AlertCheck,
    Check,
    ExprCheck,
    GroupKey,
    Labels,
    Replay,
    Rules,
    duration_text,
    sorted_labels,
)
from tests.live.replay_plan import RECENT_MS
from tests.live.replay_reads import Reads, reads
from tests.live.servers import STALE_NAN, Prometheus, Series, backfill, prometheus, wait_until

FRESH_TIMEOUT = 20.0
"""Seconds the evaluations that decide a verdict may take to happen (each group evaluates every second)."""


@dataclass(frozen=True)
class Verdict:
    """What the server returned for one check, at `phase_s` seconds after the anchor (test time t)."""

    check: Check
    phase_s: float
    got: tuple[Any, ...]
    pending: tuple[Labels, ...] = ()

    @property
    def agrees(self) -> bool:
        if isinstance(self.check, AlertCheck):
            return sorted(self.got) == sorted(self.check.expected)
        return _same_samples(self.check.expected, self.got)

    def __str__(self) -> str:
        pending = f"; pending: {', '.join(_text(labels) for labels in self.pending)}" if self.pending else ""
        return (
            f"{self.check}, {self.phase_s:.3f} s after t: promtool expects {_listed(self.check.expected)}; "
            f"the server has {_listed(self.got)}{pending}"
        )


@dataclass(frozen=True)
class Outcome:
    """A replay's verdicts, one per check."""

    replay: Replay
    verdicts: tuple[Verdict, ...]

    @property
    def disagreements(self) -> list[Verdict]:
        return [verdict for verdict in self.verdicts if not verdict.agrees]


def run(replay: Replay, rules: Rules, tmp_dir: Path) -> Outcome:
    """Replay on a server of its own in `tmp_dir`: backfill, start, write the recent samples, read verdicts."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    anchor_ms = int(time.time()) * 1000
    origin_ms = anchor_ms - replay.eval_ms
    split_ms = replay.eval_ms - RECENT_MS
    older = _stored(replay, origin_ms, 0, split_ms)
    if older:
        backfill(older, tmp_dir)
    (tmp_dir / "rules").mkdir()
    rule_files = [tmp_dir / "rules" / name for name, _ in rules.texts]
    for path, (_, text) in zip(rule_files, rules.texts, strict=True):
        path.write_text(text)
    with prometheus(rule_files, tmp_dir, remote_write_receiver=True) as prom:
        recent = _stored(replay, origin_ms, split_ms + 1, replay.eval_ms)
        if recent:
            prom.remote_write(recent)
        written = time.time()
        verdicts = tuple(_verdict(prom, check, rules, written, anchor_ms / 1000) for check in replay.checks)
    for verdict in verdicts:
        assert 0 < verdict.phase_s * 1000 < replay.evaluation_interval_ms, (
            f"{replay}: {verdict.check} was decided {verdict.phase_s:.3f} s after test time t, not before "
            f"promtool's next evaluation ({duration_text(replay.evaluation_interval_ms)} later)"
        )
    return Outcome(replay, verdicts)


def _stored(replay: Replay, origin_ms: int, first_ms: int, last_ms: int) -> list[Series]:
    """The replay's samples in [first_ms, last_ms] of test time, at their wall-clock times."""
    stored = []
    for labels, samples in replay.series:
        kept = [
            (origin_ms + sample.at_ms, STALE_NAN if sample.stale else sample.value)
            for sample in samples
            if first_ms <= sample.at_ms <= last_ms
        ]
        if kept:
            stored.append(Series(dict(labels), kept))
    return stored


def _verdict(prom: Prometheus, check: Check, rules: Rules, written: float, anchor_s: float) -> Verdict:
    needs = reads(check, rules)
    groups = _fresh(prom, needs, written, check)
    if isinstance(check, ExprCheck):
        at = time.time()
        got = tuple(
            (sorted_labels(sample["metric"]), float(sample["value"][1])) for sample in prom.query(check.expr, at=at)
        )
        return Verdict(check, at - anchor_s, got)
    alerts = [
        alert
        for group in groups
        for rule in group["rules"]
        if rule["type"] == "alerting" and rule["name"] == check.alertname
        for alert in rule["alerts"]
    ]
    evaluated = [_time(group["lastEvaluation"]) for group in groups if _key(group) in needs.roots]
    return Verdict(
        check,
        max(evaluated, default=written) - anchor_s,
        tuple((sorted_labels(a["labels"]), sorted_labels(a["annotations"])) for a in alerts if a["state"] == "firing"),
        tuple(sorted_labels(a["labels"]) for a in alerts if a["state"] == "pending"),
    )


def _fresh(prom: Prometheus, needs: Reads, written: float, check: Check) -> list[dict[str, Any]]:
    """The rule groups (GET /api/v1/rules) once every group in `needs.roots` has evaluated after the write and
    after an evaluation, itself after the write, of each group it reads records of (and so on down)."""
    relevant = needs.roots | {group for root in needs.roots for group in needs.reachable(root)}
    done: dict[GroupKey, float] = {}
    last: list[dict[str, Any]] = []

    def fresh() -> list[dict[str, Any]] | None:
        last[:] = groups = prom.rules()
        evaluated = {
            _key(group): (_time(group["lastEvaluation"]), float(group["evaluationTime"]))
            for group in groups
            if not group["lastEvaluation"].startswith("0001-")
        }
        progress = True
        while progress:
            progress = False
            for group in relevant - done.keys():
                reads = needs.edges.get(group, set())
                if group not in evaluated or not reads <= done.keys():
                    continue
                start, seconds = evaluated[group]
                if start > max([written, *(done[read] for read in reads)]):
                    done[group] = start + seconds
                    progress = True
        return groups if needs.roots <= done.keys() else None

    return wait_until(
        fresh,
        what=f"the evaluations that decide {check}",
        timeout=FRESH_TIMEOUT,
        interval=0.05,
        diagnose=lambda: (
            f"fresh after the write: {sorted(done)}; last evaluations: "
            + ", ".join(f"{group['name']} {group['lastEvaluation']}" for group in last)
        ),
    )


def _same_samples(expected: Sequence[tuple[Labels, float]], got: Sequence[tuple[Labels, float]]) -> bool:
    """The same label sets and the same values as promtool 3.4's `fuzzy_compare` reads them (NaN equal to NaN):
    the server evaluates a little after t, where a ratio of two rates extrapolated alike comes out a few units
    in the last place apart (0.15120000000000003 for 0.1512); a phase that really moves a value moves it more."""
    if len(expected) != len(got):
        return False
    return all(
        a_labels == b_labels and (math.isclose(a, b, rel_tol=1e-12) or (math.isnan(a) and math.isnan(b)))
        for (a_labels, a), (b_labels, b) in zip(sorted(expected), sorted(got), strict=True)
    )


def _listed(items: Sequence[tuple[Labels, Labels | float]]) -> str:
    """Alerts as `{labels} {annotations}`, samples as `{labels} value`; `nothing` for none."""
    shown = [f"{_text(labels)} {_text(more) if isinstance(more, tuple) else repr(more)}" for labels, more in items]
    return ", ".join(shown) or "nothing"


def _text(labels: Labels) -> str:
    return "{" + ", ".join(f"{name}={value!r}" for name, value in labels) + "}"


def _key(group: Mapping[str, Any]) -> GroupKey:
    """A group the rules API reports, by its file's name and its own."""
    return Path(group["file"]).name, group["name"]


def _time(text: str) -> float:
    """A time the rules API reports (RFC 3339, nanoseconds) as Unix seconds."""
    return datetime.fromisoformat(text).timestamp()
