"""Run `promtool test rules` on every test file, one process per file, across the machine's cores."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from compiler.dsl.durations import format_duration
from compiler.emit.test_files import test_file_path
from compiler.model.build import Model
from compiler.model.test_links import LinkedTest
from compiler.problems import Problem
from compiler.verify.promtool import Promtool

_FAILED_TEST = re.compile(r"^\s+name: (?P<name>.*),$")
_WHAT = re.compile(r"^\s+(?:alertname: (?P<alert>\S+), time: (?P<time>\S+),|expr: (?P<expr>.*), time: (?P<etime>\S+),)")
_EXP_GOT = re.compile(r"^\s+(?P<which>exp|got):\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class TestFile:
    """One staged test file and the linked tests it holds, so failures map back to source lines."""

    path: PurePosixPath
    tests: tuple[LinkedTest, ...]


def test_files(model: Model) -> list[TestFile]:
    """The staged test file of every rule module that has tests."""
    return [
        TestFile(PurePosixPath(test_file_path(tests.module)), tuple(tests.tests))
        for tests in model.tests
        if tests.tests
    ]


@dataclass
class TestOutcome:
    """The result of one test (one promtool test group)."""

    file: TestFile
    test: LinkedTest
    seconds: float
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def problems(self) -> list[Problem]:
        return [
            Problem(f'test "{self.test.test.name}": {failure}', self.test.test.location) for failure in self.failures
        ]


@dataclass(frozen=True)
class FileRun:
    file: TestFile
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


@dataclass(frozen=True)
class TestRun:
    """All outcomes of one `moncc test`, with the timing that shows whether the cores were used."""

    outcomes: list[TestOutcome]
    files: int
    workers: int
    promtool_seconds: float
    wall_seconds: float

    def timing(self) -> str:
        return (
            f"promtool: {self.files} files on {self.workers} workers, {self.promtool_seconds:.2f} s of promtool "
            f"in {self.wall_seconds:.2f} s wall"
        )


def run_test_files(promtool: Promtool, staged: Path, files: Iterable[TestFile], jobs: int | None = None) -> TestRun:
    """Run every file in parallel (one promtool process per file) and return one outcome per test."""
    files = list(files)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(lambda file: _run_one(promtool, staged, file), files))
    return TestRun(
        outcomes=[outcome for run in runs for outcome in _outcomes(run)],
        files=len(files),
        workers=workers,
        promtool_seconds=sum(run.seconds for run in runs),
        wall_seconds=time.perf_counter() - started,
    )


def _run_one(promtool: Promtool, staged: Path, file: TestFile) -> FileRun:
    started = time.perf_counter()
    result = promtool.run(["test", "rules", str(file.path)], staged, merge_stderr=False)
    return FileRun(file, result.returncode, result.stdout, result.stderr or "", time.perf_counter() - started)


def _outcomes(run: FileRun) -> list[TestOutcome]:
    """Split promtool's report into per-test failures; anything it says that is not a test failure (a warning,
    a rule file that failed to load) fails every test of the file, since none of them proved anything."""
    share = run.seconds / max(1, len(run.file.tests))
    outcomes = [TestOutcome(run.file, test, share) for test in run.file.tests]
    unexplained = _collect_failures(run.stderr, outcomes)
    if run.exit_code != 0 and not unexplained and all(outcome.passed for outcome in outcomes):
        unexplained.append(f"promtool exited with {run.exit_code}: {run.stdout.strip()} {run.stderr.strip()}".strip())
    for message in unexplained:
        for outcome in outcomes:
            outcome.failures.append(f"{run.file.path}: {message}")
    return outcomes


def _collect_failures(stderr: str, outcomes: list[TestOutcome]) -> list[str]:
    """Attribute promtool's failure report to tests; return what belongs to no test.

    Alert failures follow a `name:` line. promtool 2.42 prints no name for expression failures, so those are
    matched by expression and evaluation time instead.
    """
    by_name = {outcome.test.name: outcome for outcome in outcomes}
    unexplained: list[str] = []
    named: list[TestOutcome] = []
    targets: list[TestOutcome] = []
    subject = ""
    blocks: dict[str, list[str]] = {}
    mode = ""

    def finish() -> None:
        if blocks:
            expected, got = (_compact(blocks.get(which, [])) for which in ("exp", "got"))
            for outcome in targets:
                outcome.failures.append(f"{subject}: expected {expected} got {got}")
            if not targets:
                unexplained.append(f"{subject}: expected {expected} got {got}")
        blocks.clear()

    for line in stderr.splitlines():
        text = line.strip()
        if not text or text == "FAILED:":
            continue
        if name := _FAILED_TEST.match(line):
            finish()
            named = [by_name[name["name"]]] if name["name"] in by_name else []
            targets, subject, mode = named, "", ""
            if not named:
                unexplained.append(text)
        elif what := _WHAT.match(line):
            finish()
            mode = ""
            if what["alert"]:
                targets, subject = named, f"alert {what['alert']} at {what['time']}"
            else:
                expr = _unquote(what["expr"])
                targets = [outcome for outcome in outcomes if _checks_expr(outcome.test, expr, what["etime"])]
                subject = f"{expr} at {what['etime']}"
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
