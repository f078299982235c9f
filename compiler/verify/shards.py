"""Split the test files into shards of a few tests each, so that no file holds the cores back.

promtool runs one test file's tests one after another, and a module's file may hold one test that runs
for a simulated week; one process per file leaves the other cores idle while it runs. A shard is a staged
copy of a file with some of its tests, at the same depth as `tests/` so its `rule_files` still resolve;
build/tests/ itself is untouched. Each test's cost is estimated beforehand (promtool evaluates every rule of
the file at every evaluation step up to the test's last check, and loads every input sample), costly tests
get a shard of their own, and the costliest shards run first.

A shard holds tests that plant native histograms, or none that do: only engines whose promtool reads them
(Prometheus 3) run those.

With phases, a shard also holds the phase-shifted copies of its tests (`phases.py`), after them: each copy
runs in the same promtool process as its test, so the runs and their balance stay as planned (a copy costs
about what its test does; the estimate counts the test alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from compiler.emit.test_files import TEST_FILES_DIR
from compiler.emit.yaml_text import SAFE_LOADER, to_yaml
from compiler.model.test_links import LinkedTest
from compiler.verify.engines import Engine
from compiler.verify.phases import Phase, phases_of, shifted_test
from compiler.verify.unit_tests import TestFile

SHARDS_DIR = ".test-shards"
SHARDS_PER_WORKER = 4
"""Enough shards that the costliest ones, run first, leave the others to fill the cores evenly."""
MAX_TESTS_PER_SHARD = 12
MIN_SHARD_COST = 20_000
"""About a second of promtool: below it, another process costs more than it saves."""


@dataclass(frozen=True)
class Shard:
    """Some consecutive tests of one test file, run by one promtool process."""

    file: TestFile
    path: PurePosixPath
    """The staged file promtool runs: the test file itself when the shard holds all its tests."""
    tests: tuple[LinkedTest, ...]
    first: int
    """The index in `file.tests` of the shard's first test."""
    cost: float
    shifted: tuple[tuple[int, Phase], ...] = ()
    """The phase-shifted copies it also runs: (index in `tests`, phase)."""

    @property
    def native_histograms(self) -> bool:
        """Its tests plant native histograms: only engines that read them run it (a shard never mixes)."""
        return self.tests[0].native_histograms

    def runs_on(self, engine: Engine) -> bool:
        return engine.reads_native_histograms or not self.native_histograms

    @property
    def shifted_tests(self) -> list[tuple[LinkedTest, Phase]]:
        return [(self.tests[index], phase) for index, phase in self.shifted]

    @property
    def fuzzy_path(self) -> PurePosixPath:
        """The same tests with `fuzzy_compare: true`, for engines that have it (promtool 3.4 and later)."""
        return _shard_path(self.file.path, f"{self.path.name.removesuffix('.test.yaml')}.fuzzy")


def test_cost(test: LinkedTest, rules: int, evaluation_interval: timedelta) -> float:
    """Roughly what promtool does for one test: rule evaluations plus input samples."""
    times = [check.at for check in test.alert_checks] + [check.at for check in test.expr_checks]
    last = max(times, default=timedelta(0))
    return (last / evaluation_interval + 1) * max(rules, 1) + test.test.samples * len(test.test.series)


def plan_shards(
    files: Iterable[TestFile], evaluation_interval: timedelta, workers: int, *, phases: bool = False
) -> list[Shard]:
    """Shards of every file, costliest first; a shard's cost stays under an even share of the work. With
    `phases`, each shard also holds the phase-shifted copies of its tests."""
    files = list(files)
    costs = {id(test): test_cost(test, file.rules, evaluation_interval) for file in files for test in file.tests}
    budget = max(MIN_SHARD_COST, sum(costs.values()) / (SHARDS_PER_WORKER * max(1, workers)))
    shards: list[Shard] = []
    for file in files:
        start = 0
        while start < len(file.tests):
            end, cost = start + 1, costs[id(file.tests[start])]
            while (
                end < len(file.tests)
                and end - start < MAX_TESTS_PER_SHARD
                and cost + costs[id(file.tests[end])] <= budget
                and file.tests[end].native_histograms == file.tests[start].native_histograms
            ):
                cost += costs[id(file.tests[end])]
                end += 1
            tests = file.tests[start:end]
            shifted = tuple(
                (index, phase)
                for index, test in enumerate(tests)
                for phase in (phases_of(test, evaluation_interval, file.clock_alerts) if phases else ())
            )
            whole = start == 0 and end == len(file.tests) and not shifted
            path = file.path if whole else _shard_path(file.path, str(len(shards)))
            shards.append(Shard(file, path, tests, start, cost, shifted))
            start = end
    return sorted(shards, key=lambda shard: -shard.cost)


def write_shards(shards: Iterable[Shard], staged: Path, *, fuzzy: bool) -> None:
    """Write each shard that is not a whole file: its file's document with only the shard's tests and their
    shifted copies; with `fuzzy`, also every shard's variant that compares values as promtool's
    `fuzzy_compare` does."""
    documents: dict[PurePosixPath, dict[str, Any]] = {}
    for shard in shards:
        if shard.path == shard.file.path and not fuzzy:
            continue
        if shard.file.path not in documents:
            documents[shard.file.path] = yaml.load((staged / shard.file.path).read_text("utf-8"), Loader=SAFE_LOADER)
        document = documents[shard.file.path]
        tests = document["tests"][shard.first : shard.first + len(shard.tests)]
        copies = [shifted_test(tests[index], phase) for index, phase in shard.shifted]
        part = {**document, "tests": tests + copies}
        if shard.path != shard.file.path:
            _write(staged / shard.path, part)
        if fuzzy:
            _write(staged / shard.fuzzy_path, {**part, "fuzzy_compare": True})


def _write(target: Path, document: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_yaml(document), encoding="utf-8")


def _shard_path(path: PurePosixPath, suffix: str) -> PurePosixPath:
    """`tests/a/b.test.yaml` → `.test-shards/a/b.<suffix>.test.yaml`: as deep, so `../prometheus/...` resolves."""
    relative = path.relative_to(TEST_FILES_DIR)
    stem = relative.name.removesuffix(".test.yaml")
    return PurePosixPath(SHARDS_DIR) / relative.with_name(f"{stem}.{suffix}.test.yaml")
