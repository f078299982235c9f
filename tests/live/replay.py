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
that depends on either is not replayed; `plan()` lists each with its reason (`Skipped`):

- an alert with a `for`: promtool's verdict needs that long of evaluations;
- a record read over its history (a range, an offset, or before its own group writes it), or ALERTS;
- absolute time (`@`, `time()`, `timestamp()`, the calendar functions) and subqueries, whose steps fall on
  multiples of the step since 1970: the replay moves test time, and with it every sample, to the wall clock;
- a staleness marker older than `RECENT`: OpenMetrics cannot carry one into the blocks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import promql_parser as promql
import yaml

from compiler.dsl.durations import format_duration, parse_duration
from compiler.promql.nodes import children, function_name, unwrap
from compiler.promql.parse import parse
from compiler.promql.selectors import metric_name
from compiler.promql.series_notation import Sample, expand
from compiler.promql.window_edges import milliseconds
from tests.live.servers import STALE_NAN, Prometheus, Series, backfill, prometheus, wait_until

RECENT_MS = 2 * 60_000
"""Samples newer than t - 2m are remote-written while the server evaluates; older ones are backfilled."""
FRESH_TIMEOUT = 20.0
"""Seconds the evaluations that decide a verdict may take to happen (each group evaluates every second)."""
ABSOLUTE_TIME_FUNCTIONS = frozenset(
    {
        "time",
        "timestamp",
        "minute",
        "hour",
        "day_of_week",
        "day_of_month",
        "day_of_year",
        "days_in_month",
        "month",
        "year",
    }
)
ALERT_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
"""The series alert evaluations write: what a rule reads of them is the history of those evaluations."""
_TEST_FILE_KEYS = {"rule_files", "evaluation_interval", "group_eval_order", "tests"}
_TEST_KEYS = {"name", "interval", "input_series", "alert_rule_test", "promql_expr_test"}

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
        return f"{self.test} @ {_minutes(self.eval_ms)}"


@dataclass(frozen=True)
class Skipped:
    test: str
    eval_ms: int
    check: str
    reason: str

    def __str__(self) -> str:
        return f"{self.test} @ {_minutes(self.eval_ms)}: {self.check}: {self.reason}"


@dataclass(frozen=True)
class Plan:
    rules: Rules
    replays: tuple[Replay, ...]
    skipped: tuple[Skipped, ...]


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


# --- what is replayed ------------------------------------------------------------------------------------


NATIVE_HISTOGRAMS = (
    "native-histogram input series: Prometheus 2.42 stores them from neither OpenMetrics backfill nor this"
    " harness's float remote write (promtool 3 tests them)"
)


def plan(test_file: Path) -> Plan:
    """Every check of the promtool test file, grouped into replays, or skipped with its reason."""
    document = yaml.safe_load(test_file.read_text())
    unknown = set(document) - _TEST_FILE_KEYS
    assert not unknown, f"{test_file}: the replay does not know {sorted(unknown)}"
    rules = _rules(tuple((test_file.parent / name).resolve() for name in document["rule_files"]))
    evaluation_interval_ms = _ms(document.get("evaluation_interval", "1m"))
    replays: list[Replay] = []
    skipped: list[Skipped] = []
    for test in document["tests"]:
        unknown = set(test) - _TEST_KEYS
        assert not unknown, f"{test_file}: test {test['name']!r}: the replay does not know {sorted(unknown)}"
        interval_ms = _ms(test.get("interval", "1m"))
        if any("{{" in item["values"] for item in test["input_series"]):
            skipped.extend(
                Skipped(test["name"], eval_ms, str(check), NATIVE_HISTOGRAMS) for eval_ms, check in _checks(test)
            )
            continue
        series = tuple(
            (_labels(item["series"]), tuple(expand(item["values"], interval_ms))) for item in test["input_series"]
        )
        by_time: dict[int, list[Check]] = {}
        for eval_ms, check in _checks(test):
            reasons = [*_stale_reasons(series, eval_ms), *dict.fromkeys(reads(check, rules).reasons)]
            if reasons:
                skipped.extend(Skipped(test["name"], eval_ms, str(check), reason) for reason in reasons)
            else:
                by_time.setdefault(eval_ms, []).append(check)
        replays.extend(
            Replay(test["name"], eval_ms, evaluation_interval_ms, series, tuple(checks))
            for eval_ms, checks in sorted(by_time.items())
        )
    return Plan(rules, tuple(replays), tuple(skipped))


def _rules(files: tuple[Path, ...]) -> Rules:
    texts = tuple((path.name, path.read_text()) for path in files)
    assert len({name for name, _ in texts}) == len(texts), f"rule files of the same name: {files}"
    records: dict[str, list[Rule]] = {}
    alerts: dict[str, list[Rule]] = {}
    for name, text in texts:
        for group in yaml.safe_load(text)["groups"]:
            for index, rule in enumerate(group["rules"]):
                found = Rule((name, group["name"]), index, rule["expr"], _ms(rule.get("for", "0s")))
                if "record" in rule:
                    records.setdefault(rule["record"], []).append(found)
                else:
                    alerts.setdefault(rule["alert"], []).append(found)
    return Rules(
        texts,
        {name: tuple(found) for name, found in records.items()},
        {name: tuple(found) for name, found in alerts.items()},
    )


def _checks(test: Mapping[str, Any]) -> Iterator[tuple[int, Check]]:
    for item in test.get("alert_rule_test") or []:
        expected = tuple(
            (
                _sorted({**(alert.get("exp_labels") or {}), "alertname": item["alertname"]}),
                _sorted(alert.get("exp_annotations") or {}),
            )
            for alert in item.get("exp_alerts") or []
        )
        yield _ms(item["eval_time"]), AlertCheck(item["alertname"], expected)
    for item in test.get("promql_expr_test") or []:
        samples = tuple((_labels(sample["labels"]), float(sample["value"])) for sample in item.get("exp_samples") or [])
        yield _ms(item["eval_time"]), ExprCheck(item["expr"], samples)


def _stale_reasons(series: Sequence[tuple[Labels, Sequence[Sample]]], eval_ms: int) -> list[str]:
    return [
        f"{dict(labels)} has a staleness marker at {_minutes(sample.at_ms)}, before the remote-written samples: "
        "OpenMetrics cannot carry one into the backfilled blocks"
        for labels, samples in series
        for sample in samples
        if sample.stale and sample.at_ms <= eval_ms - RECENT_MS
    ]


def reads(check: Check, rules: Rules) -> Reads:
    """What the check reads: the groups whose evaluation decides it (`roots`), the groups each of those reads
    records of (`edges`), and why a fresh server cannot reproduce it (`reasons`, empty if it can)."""
    found = Reads(rules)
    if isinstance(check, AlertCheck):
        for rule in rules.alerts.get(check.alertname, ()):
            if rule.for_ms:
                found.reasons.append(f"`for: {_minutes(rule.for_ms)}` needs that long of evaluations")
            found.roots.add(rule.group)
            found.visit(parse(rule.expr), rule)
    else:
        found.visit(parse(check.expr), None)
    found.check_cycles()
    return found


@dataclass
class Reads:
    """The groups whose records an expression reads, through the records they read, and what it reads that a
    fresh server on the wall clock cannot reproduce."""

    rules: Rules
    roots: set[GroupKey] = field(default_factory=set)
    edges: dict[GroupKey, set[GroupKey]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    _visited: set[Rule] = field(default_factory=set)

    def visit(self, node: promql.Expr, reader: Rule | None) -> None:
        if isinstance(node, promql.SubqueryExpr):
            self.reasons.append("a subquery's steps fall on multiples of its step since 1970")
        elif function_name(node) in ABSOLUTE_TIME_FUNCTIONS:
            self.reasons.append(f"{function_name(node)}() reads absolute time")
        elif isinstance(node, promql.MatrixSelector):
            self._selector(node.vector_selector, reader, f"over [{promql.display_duration(node.range)}]")
            return
        elif isinstance(node, promql.VectorSelector):
            self._selector(node, reader, None)
            return
        for child in children(node):
            self.visit(child, reader)

    def _selector(self, node: promql.VectorSelector, reader: Rule | None, window: str | None) -> None:
        if node.at is not None:
            self.reasons.append(f"{node}: `@` reads absolute time")
        name = metric_name(node)
        if name in ALERT_SERIES:
            self.reasons.append(f"reads {name}: the history of alert evaluations")
        if name is None or name not in self.rules.records:
            return
        if window or node.offset:
            self.reasons.append(f"reads record {name} {window or 'with an offset'}: its history")
            return
        for rule in self.rules.records[name]:
            if reader is None:
                self.roots.add(rule.group)
            elif reader.group != rule.group:
                self.edges.setdefault(reader.group, set()).add(rule.group)
            elif rule.index >= reader.index:
                self.reasons.append(f"reads record {name}, which its own group writes later: its previous value")
            if rule not in self._visited:
                self._visited.add(rule)
                self.visit(parse(rule.expr), rule)

    def check_cycles(self) -> None:
        """Groups that read each other's records read their previous evaluations: history too."""
        for start in self.edges:
            if start in self.reachable(start):
                self.reasons.append(f"group {start[1]} reads records that read its own: their previous values")

    def reachable(self, start: GroupKey) -> set[GroupKey]:
        """The groups whose records `start` reads, through the records they read."""
        seen: set[GroupKey] = set()
        stack = list(self.edges.get(start, ()))
        while stack:
            group = stack.pop()
            if group not in seen:
                seen.add(group)
                stack.extend(self.edges.get(group, ()))
        return seen


# --- the replay ------------------------------------------------------------------------------------------


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
            f"promtool's next evaluation ({_minutes(replay.evaluation_interval_ms)} later)"
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
        got = tuple((_sorted(sample["metric"]), float(sample["value"][1])) for sample in prom.query(check.expr, at=at))
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
        tuple((_sorted(a["labels"]), _sorted(a["annotations"])) for a in alerts if a["state"] == "firing"),
        tuple(_sorted(a["labels"]) for a in alerts if a["state"] == "pending"),
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


# --- reading ---------------------------------------------------------------------------------------------


def _labels(selector: str) -> Labels:
    """The label set a test writes as a series selector (`name{label="value", ...}`), `__name__` included."""
    node = unwrap(parse(selector))
    assert isinstance(node, promql.VectorSelector), f"not a series: {selector}"
    labels = {}
    for matcher in node.matchers.matchers:
        assert matcher.op == promql.MatchOp.Equal, f"not a series: {selector}"
        labels[str(matcher.name)] = str(matcher.value)
    if node.name:
        labels["__name__"] = str(node.name)
    return _sorted(labels)


def _listed(items: Sequence[tuple[Labels, Labels | float]]) -> str:
    """Alerts as `{labels} {annotations}`, samples as `{labels} value`; `nothing` for none."""
    shown = [f"{_text(labels)} {_text(more) if isinstance(more, tuple) else repr(more)}" for labels, more in items]
    return ", ".join(shown) or "nothing"


def _text(labels: Labels) -> str:
    return "{" + ", ".join(f"{name}={value!r}" for name, value in labels) + "}"


def _sorted(labels: Mapping[str, str]) -> Labels:
    return tuple(sorted(labels.items()))


def _ms(duration: str) -> int:
    return milliseconds(parse_duration(str(duration)))


def _minutes(ms: int) -> str:
    return format_duration(timedelta(milliseconds=ms))


def _key(group: Mapping[str, Any]) -> GroupKey:
    """A group the rules API reports, by its file's name and its own."""
    return Path(group["file"]).name, group["name"]


def _time(text: str) -> float:
    """A time the rules API reports (RFC 3339, nanoseconds) as Unix seconds."""
    return datetime.fromisoformat(text).timestamp()
