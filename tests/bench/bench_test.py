"""Benchmark: `moncc test` on the repository's own rules, on both engines, end to end.

One run of the real command in a fresh process on a copy of the repository (its sources and pyproject.toml;
the engines as `make setup` provides them). Sharding by test case should keep every core busy: the target
is a wall time within 1.2x the larger of promtool's CPU time per core and the longest single promtool run.

    .venv/bin/python tests/bench/bench_test.py

The last lines are machine-readable: `test_wall_seconds=`, `promtool_cpu_seconds=`, `cores=`,
`longest_case_seconds=` (and `effective_cores=`: what the machine really does in parallel).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
FACTOR = 1.2
_TIMING = re.compile(
    r"^promtool: (?P<runs>\d+) runs on (?P<workers>\d+) workers, (?P<cpu>[\d.]+) s CPU in (?P<wall>[\d.]+) s wall"
    r"; longest run (?P<longest>[\d.]+) s \((?P<tests>\d+) tests? of (?P<file>\S+) on (?P<engine>\S+)\)$",
    re.MULTILINE,
)


def effective_cores(cores: int) -> float:
    """How many cores' worth of work the machine really does at once (a VM's or a shared host's may be
    fewer than it reports): one busy process against `cores` of them side by side."""
    busy = [sys.executable, "-c", "x = 0\nfor i in range(20_000_000): x += i"]
    started = time.perf_counter()
    subprocess.run(busy, check=True)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    for process in [subprocess.Popen(busy) for _ in range(cores)]:
        process.wait()
    return cores * alone / (time.perf_counter() - started)


def copy_project(target: Path) -> None:
    for name in ("rules_src", "dashboards_src"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def main() -> None:
    promtool3 = ROOT / ".tools" / "promtool-3" / "usr" / "bin" / "promtool"
    environment = {"PROMTOOL3": str(promtool3), **os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="moncc-bench-test-") as temporary:
        project = Path(temporary)
        copy_project(project)
        command = [str(VENV_BIN / "moncc"), "--project", str(project), "test"]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
        wall = time.perf_counter() - started
    timing = _TIMING.search(result.stdout)
    if timing is None:
        sys.exit(f"moncc test printed no timing (exit {result.returncode}):\n{result.stdout}{result.stderr[-4000:]}")
    engines = [line for line in result.stdout.splitlines() if "(promtool " in line]
    if len(engines) != 2:
        sys.exit(f"expected both engines, got:\n{result.stdout}")
    cpu, cores = float(timing["cpu"]), int(timing["workers"])
    test_wall, longest = float(timing["wall"]), float(timing["longest"])
    bound = max(cpu / cores, longest)
    print(*engines, sep="\n")
    print(f"moncc test: exit {result.returncode}, {wall:.2f} s with compiling; promtool runs: {timing['runs']}")
    print(f"longest run: {longest:.2f} s, {timing['tests']} test(s) of {timing['file']} on {timing['engine']}")
    print(f"target: wall within {FACTOR}x max(cpu/cores, longest) = {FACTOR * bound:.2f} s", end=" -> ")
    print("ok" if test_wall <= FACTOR * bound else "MISSED")
    effective = effective_cores(cores)
    real_bound = max(cpu / min(cores, effective), longest)
    print(f"this machine runs {effective:.2f} cores' worth at once: 1.2x bound on those = {FACTOR * real_bound:.2f} s")
    print(f"test_wall_seconds={test_wall:.3f}")
    print(f"promtool_cpu_seconds={cpu:.3f}")
    print(f"cores={cores}")
    print(f"longest_case_seconds={longest:.3f}")
    print(f"effective_cores={effective:.2f}")


if __name__ == "__main__":
    main()
