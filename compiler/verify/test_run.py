"""Run every shard of tests on every engine at once, across the machine's cores, and time it.

One pool takes all (engine, shard) runs (a shard of native-histogram tests only on engines that read them,
the others counting it as skipped), costliest shard first, so two engines cost the cores, not twice
the wall time; each run also holds the phase-shifted copies of its shard's tests (`phases.py`). The CPU time
promtool used is measured (`RUSAGE_CHILDREN`) so the timing shows whether the cores were kept busy.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePosixPath

from compiler.verify.engines import Engine
from compiler.verify.shards import Shard, plan_shards, write_shards
from compiler.verify.unit_tests import PromtoolReport, TestFile, TestOutcome, test_outcomes


@dataclass(frozen=True)
class ShardRun:
    """One promtool process: a shard on an engine."""

    engine: Engine
    shard: Shard
    outcomes: list[TestOutcome]
    seconds: float


@dataclass(frozen=True)
class EngineRun:
    """Every outcome of one engine, in the order the tests are declared: on the sample grid (`outcomes`) and
    of the tests' phase-shifted copies (`shifted`)."""

    engine: Engine
    outcomes: list[TestOutcome]
    shards: int
    promtool_seconds: float
    shifted: list[TestOutcome] = field(default_factory=list)
    skipped: int = 0
    """Tests it cannot run: they plant native histograms, which its promtool does not read."""

    def shifted_by_test(self) -> dict[int, list[TestOutcome]]:
        """The outcomes of each test's phase-shifted copies, by the id of its linked test."""
        copies: dict[int, list[TestOutcome]] = {}
        for copy in self.shifted:
            copies.setdefault(id(copy.test), []).append(copy)
        return copies

    def summary(self) -> str:
        """The engine's result (a test passed if it held on the grid and at every phase) and its share of
        the time."""
        copies = self.shifted_by_test()
        passed = sum(
            outcome.passed and all(copy.passed for copy in copies.get(id(outcome.test), ()))
            for outcome in self.outcomes
        )
        skipped = (
            f", {self.skipped} skipped (native-histogram input series, which only promtool 3 reads)"
            if self.skipped
            else ""
        )
        return (
            f"{self.engine}: {passed} passed, {len(self.outcomes) - passed} failed{skipped}; "
            f"{self.shards} runs, {self.promtool_seconds:.2f} s of promtool"
        )


@dataclass(frozen=True)
class TestRun:
    """All outcomes of one `moncc test`, per engine, with the timing that shows whether the cores were used."""

    engines: list[EngineRun]
    workers: int
    wall_seconds: float
    cpu_seconds: float
    longest: ShardRun | None

    def timing(self) -> str:
        """Whether the cores were kept busy: CPU time against wall time, and the run that took longest."""
        runs = sum(engine.shards for engine in self.engines)
        line = (
            f"promtool: {runs} runs on {self.workers} workers, "
            f"{self.cpu_seconds:.2f} s CPU in {self.wall_seconds:.2f} s wall"
        )
        if self.longest is None:
            return line
        tests = len(self.longest.shard.tests)
        return (
            f"{line}; longest run {self.longest.seconds:.2f} s ({tests} test{'s' if tests > 1 else ''} of "
            f"{self.longest.shard.file.path} on {self.longest.engine.name})"
        )


def run_tests(
    engines: Iterable[Engine],
    staged: Path,
    files: Iterable[TestFile],
    evaluation_interval: timedelta,
    jobs: int | None = None,
    *,
    phases: bool = True,
) -> TestRun:
    """Run every test on every engine, sharded, and return one outcome per test and engine (and, with
    `phases`, per phase-shifted copy)."""
    engines, files = list(engines), list(files)
    order = {file.path: index for index, file in enumerate(files)}
    workers = jobs or os.cpu_count() or 1
    shards = plan_shards(files, evaluation_interval, workers, phases=phases)
    write_shards(shards, staged, fuzzy=any(engine.fuzzy_compare for engine in engines))
    work = [(engine, shard) for shard in shards for engine in engines if shard.runs_on(engine)]
    workers = max(1, min(workers, len(work)))
    cpu_before = _children_cpu()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(lambda job: _run_shard(job[0], job[1], staged), work))
    wall = time.perf_counter() - started
    return TestRun(
        engines=[
            _engine_run(
                engine,
                [run for run in runs if run.engine is engine],
                order,
                sum(len(shard.tests) for shard in shards if not shard.runs_on(engine)),
            )
            for engine in engines
        ],
        workers=workers,
        wall_seconds=wall,
        cpu_seconds=_children_cpu() - cpu_before,
        longest=max(runs, key=lambda run: run.seconds, default=None),
    )


def _run_shard(engine: Engine, shard: Shard, staged: Path) -> ShardRun:
    started = time.perf_counter()
    path = shard.fuzzy_path if engine.fuzzy_compare else shard.path
    result = engine.promtool.run(["test", "rules", str(path)], staged, merge_stderr=False)
    seconds = time.perf_counter() - started
    report = PromtoolReport(result.returncode, result.stdout, result.stderr or "", seconds)
    return ShardRun(engine, shard, test_outcomes(shard.file, shard.tests, engine, report, shard.shifted_tests), seconds)


def _engine_run(engine: Engine, runs: list[ShardRun], order: dict[PurePosixPath, int], skipped: int) -> EngineRun:
    declared = sorted(runs, key=lambda run: (order[run.shard.file.path], run.shard.first))
    outcomes = [outcome for run in declared for outcome in run.outcomes]
    return EngineRun(
        engine,
        [outcome for outcome in outcomes if outcome.phase is None],
        len(runs),
        sum(run.seconds for run in runs),
        [outcome for outcome in outcomes if outcome.phase is not None],
        skipped,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
