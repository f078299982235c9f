"""What `promtool test rules` says about each test: the test files, and one outcome per test and engine."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from compiler.dsl.durations import format_duration
from compiler.emit.test_files import test_file_path
from compiler.model.build import Model
from compiler.model.test_links import LinkedTest
from compiler.verify.engines import Engine
from compiler.verify.phases import Phase, clock_alerts
from compiler.verify.rounding import rounding_hint

_FAILED_TEST = re.compile(r"^\s+name: (?P<name>.*),$")
_WHAT = re.compile(r"^\s+(?:alertname: (?P<alert>\S+), time: (?P<time>\S+),|expr: (?P<expr>.*), time: (?P<etime>\S+),)")
_EXP_GOT = re.compile(r"^\s+(?P<which>exp|got):\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class TestFile:
    """One staged test file and the linked tests it holds, so failures map back to source lines."""

    path: PurePosixPath
    tests: tuple[LinkedTest, ...]
    rules: int
    """How many rules its rule file holds: promtool evaluates them all at every step of every test."""
    clock_alerts: frozenset[str] = frozenset()
    """Its alerts that read the clock (`phases.clock_alerts`): their checks are not shifted off the grid."""


def test_files(model: Model) -> list[TestFile]:
    """The staged test file of every rule module that has tests."""
    return [
        TestFile(
            PurePosixPath(test_file_path(tests.module)),
            tuple(tests.tests),
            sum(len(group.rules) for group in tests.module.groups),
            clock_alerts(tests.module, tests.reads),
        )
        for tests in model.tests
        if tests.tests
    ]


@dataclass(frozen=True)
class AlertMismatch:
    """One alert check promtool found wrong: the alerts it expected and those it got, as it printed them."""

    alert: str
    at: str
    expected: str
    got: str
    message: str
    """The failure line it is part of."""


@dataclass
class TestOutcome:
    """The result of one test (one promtool test group) on one engine: on the sample grid, or (`phase`) its
    copy with the rules evaluated off it (`phases.py`)."""

    file: TestFile
    test: LinkedTest
    engine: Engine
    seconds: float
    failures: list[str] = field(default_factory=list)
    phase: Phase | None = None
    mismatches: list[AlertMismatch] = field(default_factory=list)
    """The failures that are alert checks, for saying what a phase changed."""

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def name(self) -> str:
        """The name promtool reports it by."""
        return self.test.name if self.phase is None else self.phase.test_name(self.test.name)


@dataclass(frozen=True)
class PromtoolReport:
    """What one `promtool test rules` process said."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float


def test_outcomes(
    file: TestFile,
    tests: Sequence[LinkedTest],
    engine: Engine,
    report: PromtoolReport,
    shifted: Sequence[tuple[LinkedTest, Phase]] = (),
) -> list[TestOutcome]:
    """Split promtool's report on some of a file's tests (and the `shifted` copies run with them) into
    per-test failures; anything it says that is not a test failure (a warning, a rule file that failed to
    load) fails every one of them, since none of them proved anything."""
    share = report.seconds / max(1, len(tests) + len(shifted))
    outcomes = [TestOutcome(file, test, engine, share) for test in tests]
    outcomes.extend(TestOutcome(file, test, engine, share, phase=phase) for test, phase in shifted)
    unexplained = _collect_failures(report.stderr, outcomes)
    if report.exit_code != 0 and not unexplained and all(outcome.passed for outcome in outcomes):
        said = f"{report.stdout.strip()} {report.stderr.strip()}".strip()
        unexplained.append(f"promtool exited with {report.exit_code}: {said}".strip())
    for message in unexplained:
        for outcome in outcomes:
            outcome.failures.append(f"{file.path}: {message}")
    return outcomes


def _collect_failures(stderr: str, outcomes: list[TestOutcome]) -> list[str]:
    """Attribute promtool's failure report to tests; return what belongs to no test.

    Alert failures follow a `name:` line. promtool 2.42 prints no name for expression failures, so those are
    matched by expression and evaluation time instead.
    """
    by_name = {outcome.name: outcome for outcome in outcomes}
    unexplained: list[str] = []
    named: list[TestOutcome] = []
    targets: list[TestOutcome] = []
    subject = ""
    alert: tuple[str, str] | None = None
    blocks: dict[str, list[str]] = {}
    mode = ""

    def finish() -> None:
        if blocks:
            expected, got = (_compact(blocks.get(which, [])) for which in ("exp", "got"))
            message = f"{subject}: expected {expected} got {got}{rounding_hint(expected, got)}"
            for outcome in targets:
                outcome.failures.append(message)
                if alert is not None:
                    outcome.mismatches.append(AlertMismatch(*alert, expected, got, message))
            if not targets:
                unexplained.append(message)
        blocks.clear()

    for line in stderr.splitlines():
        text = line.strip()
        if not text or text == "FAILED:":
            continue
        if name := _FAILED_TEST.match(line):
            finish()
            named = [by_name[name["name"]]] if name["name"] in by_name else []
            targets, subject, mode, alert = named, "", "", None
            if not named:
                unexplained.append(text)
        elif what := _WHAT.match(line):
            finish()
            mode = ""
            if what["alert"]:
                targets, subject = named, f"alert {what['alert']} at {what['time']}"
                alert = (what["alert"], what["time"])
            else:
                expr = _unquote(what["expr"])
                targets = [
                    outcome
                    for outcome in outcomes
                    if outcome.phase is None and _checks_expr(outcome.test, expr, what["etime"])
                ]
                subject, alert = f"{expr} at {what['etime']}", None
        elif exp_got := _EXP_GOT.match(line):
            mode = exp_got["which"]
            blocks[mode] = [exp_got["rest"]]
        elif mode:
            blocks[mode].append(text)
        elif targets:
            for outcome in targets:
                outcome.failures.append(f"{subject}: {text}" if subject else text)
        else:
            unexplained.append(text)
    finish()
    return unexplained


def _checks_expr(test: LinkedTest, expr: str, at: str) -> bool:
    return any(check.expr == expr and format_duration(check.at) == at for check in test.expr_checks)


def _unquote(quoted: str) -> str:
    """promtool prints expressions Go-quoted (%q), which JSON reads for everything PromQL contains."""
    try:
        text = json.loads(quoted)
    except ValueError:
        return quoted
    return text if isinstance(text, str) else quoted


def _compact(parts: list[str]) -> str:
    """promtool's multi-line alert lists on one line: `[0: Labels:{...} Annotations:{...}]`."""
    return " ".join(" ".join(parts).split()).replace("[ ", "[").replace(" ]", "]").rstrip(",").strip()
