"""Benchmark: `moncc import rules` of all 112 awesome-prometheus-alerts files, in one invocation, in under 5 s.

Each run is the real command (`moncc --project <fresh folder> import rules FILE...`) in a fresh process, so the
figure includes starting Python, reading and validating every rule, rendering, and `ruff format` of each module.

    .venv/bin/python tests/bench/bench_import.py

The last line of output is machine-readable: `import_seconds=` (the median wall time of the runs).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3
TARGET_SECONDS = 5.0

REPO = Path(__file__).resolve().parents[2]
AWESOME = REPO.parent / "shared" / "reference" / "external-rules" / "awesome-prometheus-alerts" / "dist" / "rules"


def one_run(files: list[Path]) -> float:
    """Seconds for one import into a fresh project; raises if the import fails."""
    with tempfile.TemporaryDirectory(prefix="moncc-bench-import-") as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[project]\nname = "bench"\n\n[tool.moncc]\n')
        command = [str(Path(sys.executable).parent / "moncc"), "--project", str(root), "import", "rules"]
        started = time.perf_counter()
        subprocess.run([*command, *map(str, files)], check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        assert len(list((root / "rules_src").glob("*.py"))) == len(files)
        return elapsed


def main() -> None:
    files = sorted(AWESOME.rglob("*.yml"))
    assert len(files) == 112, f"expected the 112 awesome-prometheus-alerts files, found {len(files)}"
    seconds = [one_run(files) for _ in range(RUNS)]
    median = statistics.median(seconds)
    print(f"runs: {', '.join(f'{value:.2f}s' for value in seconds)}; target under {TARGET_SECONDS:.0f} s")
    print(f"import_seconds={median:.2f}")


if __name__ == "__main__":
    main()
