"""Benchmark: `moncc lint` over the 10,000-rule workload of bench_compile.py (500 modules), end to end.

Each run is the real command in a fresh process (`moncc --project <dir> lint --format json`), as a pre-commit
hook runs it: interpreter start, imports, loading the sources, every check. Three runs; the median is the
figure. Target: under 3 s.

    .venv/bin/python tests/bench/bench_lint.py

The last line of output is machine-readable: `lint_seconds=`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.bench.bench_compile import MODULES, generate_project

RUNS = 3
TARGET_SECONDS = 3.0
VENV_BIN = Path(sys.executable).parent


def run_lint(project_dir: Path) -> tuple[float, list[dict[str, object]]]:
    command = [str(VENV_BIN / "moncc"), "--project", str(project_dir), "lint", "--format", "json"]
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    wall = time.perf_counter() - started
    if result.returncode not in (0, 1) or not result.stdout:
        sys.exit(f"moncc lint failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return wall, json.loads(result.stdout)["findings"]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="moncc-bench-lint-") as temporary:
        project_dir = Path(temporary)
        generate_project(project_dir)
        runs = [run_lint(project_dir) for _ in range(RUNS)]
    seconds = statistics.median(wall for wall, _ in runs)
    findings = runs[0][1]
    print(f"linted {MODULES} modules (10,000 rules) {RUNS} times: " + ", ".join(f"{wall:.2f}s" for wall, _ in runs))
    for check, count in sorted(Counter(str(finding["check"]) for finding in findings).items()):
        print(f"  {check}: {count}")
    print(f"target: under {TARGET_SECONDS:.0f} s -> {'ok' if seconds < TARGET_SECONDS else 'MISSED'}")
    print(f"lint_seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
