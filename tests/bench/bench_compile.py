"""Benchmark: compile a synthetic project of 5,000 alerts and 5,000 recording rules.

Generates a throw-away project (pyproject.toml and 500 modules below rules_src/) in a temporary folder, then

* times `load_project` + `compile_project` (no promtool) in a fresh interpreter, three times, taking the median
  wall time and the largest peak RSS, so imports and memory are counted as a real run counts them (with the
  cyclic garbage collector paused, as every `moncc` command runs);
* times the full `moncc --project <dir> build` (with promtool) once.

The last three lines of output are machine-readable: `compile_seconds=`, `compile_peak_mb=`, `build_seconds=`.
Targets: compile under 3 s and under 400 MB.

    .venv/bin/python tests/bench/bench_compile.py             # the benchmark
    .venv/bin/python tests/bench/bench_compile.py --profile   # also cProfile one compile, top functions
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

MODULES = 500
ALERTS_PER_MODULE = 10
RECORDS_PER_MODULE = 10
COMPILE_RUNS = 3
BUILD_RUNS = 1
TARGET_SECONDS = 3.0
TARGET_MB = 400.0

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

PYPROJECT = """\
[project]
name = "bench-rules"
version = "0.0.0"

[tool.moncc]
rules_dir = "rules_src"
build_dir = "build"

[tool.moncc.kubernetes]
namespace = "monitoring"
labels = { release = "kube-prometheus-stack", team = "bench" }
"""


# --- the synthetic project ---------------------------------------------------------------------------------------


def _records(svc: str) -> list[str]:
    """Ten recording rules over this module's own metrics (`svc` makes every name unique to the module)."""
    return [
        f"""Record(
            "job:{svc}_http_requests:rate5m",
            expr="sum by (job) (rate({svc}_http_requests_total[5m]))",
        )""",
        f"""Record(
            "job_route:{svc}_http_requests:rate5m",
            expr='''
                sum by (job, route) (
                  rate({svc}_http_requests_total[5m])
                )
            ''',
        )""",
        f"""Record(
            "job_route:{svc}_http_errors:ratio_rate5m",
            expr='''
                sum by (job, route) (rate({svc}_http_requests_total{{code=~"5.."}}[5m]))
                  /
                sum by (job, route) (rate({svc}_http_requests_total[5m]))
            ''',
            labels={{"slo": "availability"}},
        )""",
        f"""Record(
            "job:{svc}_http_request_duration_seconds:p99_5m",
            expr='''
                histogram_quantile(
                  0.99,
                  sum by (le, job) (rate({svc}_http_request_duration_seconds_bucket[5m]))
                )
            ''',
        )""",
        f"""Record(
            "job:{svc}_http_request_duration_seconds:p50_5m",
            expr='''
                histogram_quantile(0.5, sum by (le, job) (rate({svc}_http_request_duration_seconds_bucket[5m])))
            ''',
        )""",
        f"""Record(
            "job:{svc}_http_request_duration_seconds:mean5m",
            expr='''
                sum by (job) (rate({svc}_http_request_duration_seconds_sum[5m]))
                  /
                sum by (job) (rate({svc}_http_request_duration_seconds_count[5m]))
            ''',
        )""",
        f"""Record(
            "instance:{svc}_process_cpu:rate1m",
            expr="sum without (mode) (rate({svc}_process_cpu_seconds_total[1m]))",
        )""",
        f"""Record(
            "job:{svc}_queue_depth:max_over_time10m",
            expr="max by (job, queue) (max_over_time({svc}_queue_depth[10m]))",
            labels={{"aggregation": "max"}},
        )""",
        f"""Record(
            "job:{svc}_http_errors:ratio_rate1h",
            expr='''
                sum by (job) (increase({svc}_http_requests_total{{code=~"5.."}}[1h]))
                  / ignoring (code)
                sum by (job) (increase({svc}_http_requests_total[1h]))
            ''',
        )""",
        f"""Record(
            "instance:{svc}_filesystem_avail:ratio",
            expr='''
                {svc}_node_filesystem_avail_bytes{{fstype!~"tmpfs|overlay"}}
                  / {svc}_node_filesystem_size_bytes{{fstype!~"tmpfs|overlay"}}
            ''',
        )""",
    ]


def _alerts(svc: str, name: str) -> list[str]:
    """Ten alerts of the usual kinds: error ratios, latency quantiles, absent(), predict_linear, thresholds."""
    runbook = "https://runbooks.example.com"
    return [
        f"""Alert(
            "{name}HighErrorRate",
            expr='''
                sum by (job, route) (rate({svc}_http_requests_total{{code=~"5.."}}[5m]))
                  / sum by (job, route) (rate({svc}_http_requests_total[5m])) > 0.05
            ''',
            for_="5m",
            severity="critical",
            summary="{{{{ $labels.job }}}} {{{{ $labels.route }}}} fails more than 5% of requests",
            description="{{{{ $value | humanizePercentage }}}} of requests to {{{{ $labels.route }}}} fail.",
            runbook_url="{runbook}/{name}HighErrorRate",
        )""",
        f"""Alert(
            "{name}ElevatedErrorRate",
            expr="job_route:{svc}_http_errors:ratio_rate5m > 0.01",
            for_=timedelta(minutes=15),
            severity="warning",
            summary="{{{{ $labels.job }}}} error ratio above 1%",
            description="Error ratio is {{{{ $value | humanizePercentage }}}} on {{{{ $labels.route }}}}.",
            runbook_url="{runbook}/{name}ElevatedErrorRate",
            labels={{"team": "{svc}"}},
        )""",
        f"""Alert(
            "{name}HighLatencyP99",
            expr='''
                histogram_quantile(
                  0.99,
                  sum by (le, job) (rate({svc}_http_request_duration_seconds_bucket[5m]))
                ) > 0.5
            ''',
            for_="10m",
            severity="warning",
            summary="{{{{ $labels.job }}}} p99 latency above 500ms",
            description="p99 latency is {{{{ $value | humanizeDuration }}}}.",
            runbook_url="{runbook}/{name}HighLatencyP99",
        )""",
        f"""Alert(
            "{name}HighLatencyP50",
            expr="job:{svc}_http_request_duration_seconds:p50_5m > 0.2",
            for_="15m",
            severity="info",
            summary="{{{{ $labels.job }}}} median latency above 200ms",
        )""",
        f"""Alert(
            "{name}TargetAbsent",
            expr='absent(up{{job="{svc}"}} == 1)',
            for_="5m",
            severity="critical",
            summary="{svc} has disappeared from service discovery",
            description="No healthy scrape target for job {svc} for 5 minutes.",
            runbook_url="{runbook}/{name}TargetAbsent",
        )""",
        f"""Alert(
            "{name}MetricsAbsent",
            expr="absent_over_time({svc}_http_requests_total[15m])",
            for_="5m",
            severity="warning",
            summary="{svc} exports no request metrics",
        )""",
        f"""Alert(
            "{name}FilesystemFillingUp",
            expr='''
                predict_linear({svc}_node_filesystem_avail_bytes{{fstype!~"tmpfs|overlay"}}[6h], 24 * 3600) < 0
                  and
                {svc}_node_filesystem_avail_bytes{{fstype!~"tmpfs|overlay"}}
                  / {svc}_node_filesystem_size_bytes{{fstype!~"tmpfs|overlay"}} < 0.4
            ''',
            for_="1h",
            severity="warning",
            summary="{{{{ $labels.instance }}}}:{{{{ $labels.mountpoint }}}} fills up within 24h",
            description="Only {{{{ $value | humanize1024 }}}}B are predicted to remain.",
            runbook_url="{runbook}/{name}FilesystemFillingUp",
            labels={{"component": "storage"}},
        )""",
        f"""Alert(
            "{name}FilesystemAlmostFull",
            expr="instance:{svc}_filesystem_avail:ratio < 0.05",
            for_="30m",
            keep_firing_for="10m",
            severity="critical",
            summary="{{{{ $labels.instance }}}}:{{{{ $labels.mountpoint }}}} is almost full",
            description="{{{{ $value | humanizePercentage }}}} free.",
            runbook_url="{runbook}/{name}FilesystemAlmostFull",
        )""",
        f"""Alert(
            "{name}QueueBacklog",
            expr="max by (job, queue) ({svc}_queue_depth) > 1000",
            for_="10m",
            severity="warning",
            summary="queue {{{{ $labels.queue }}}} of {{{{ $labels.job }}}} holds {{{{ $value }}}} items",
            annotations={{"dashboard": "https://grafana.example.com/d/{svc}"}},
        )""",
        f"""Alert(
            "{name}HighCpu",
            expr='''
                sum by (instance) (rate({svc}_process_cpu_seconds_total[5m]))
                  > on (instance) group_left
                0.9 * count by (instance) ({svc}_machine_cpu_cores)
            ''',
            for_=timedelta(minutes=20),
            severity="warning",
            summary="{{{{ $labels.instance }}}} uses more than 90% of its cores",
        )""",
    ]


def module_source(index: int) -> str:
    """One module: a recording group and an alerting group, all names unique to this module."""
    svc = f"svc{index:03d}"
    name = f"Svc{index:03d}"
    records = ",\n".join(textwrap.indent(textwrap.dedent("        " + r), "        ") for r in _records(svc))
    alerts = ",\n".join(textwrap.indent(textwrap.dedent("        " + a), "        ") for a in _alerts(svc, name))
    return (
        f'"""Synthetic rules for {svc} (generated by tests/bench/bench_compile.py)."""\n\n'
        "from datetime import timedelta\n\n"
        "from compiler.dsl import Alert, Record, RuleGroup\n\n"
        f'recording = RuleGroup(\n    "{svc}-recording",\n    rules=[\n{records},\n    ],\n    interval="30s",\n)\n\n'
        f'alerting = RuleGroup(\n    "{svc}-alerts",\n    rules=[\n{alerts},\n    ],\n)\n'
    )


def generate_project(root: Path) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT)
    rules = root / "rules_src"
    rules.mkdir()
    for index in range(MODULES):
        # Spread the modules over a few team folders, as a large repository would.
        folder = rules / f"team{index % 10}"
        folder.mkdir(exist_ok=True)
        (folder / f"svc{index:03d}.py").write_text(module_source(index))


# --- measuring ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompileRun:
    wall_seconds: float
    import_seconds: float
    compile_seconds: float
    peak_mb: float
    files: int


def child_compile(project_dir: Path) -> None:
    """Run in a fresh interpreter: import the compiler, compile, print one JSON line with the figures."""
    import resource

    started = time.perf_counter()
    from compiler.gc_pause import cyclic_gc_paused
    from compiler.pipeline import compile_project
    from compiler.settings.project import load_project

    imported = time.perf_counter()
    with cyclic_gc_paused():  # as every `moncc` command runs (cli.py)
        compilation = compile_project(load_project(project_dir))
    finished = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "import_seconds": imported - started,
                "compile_seconds": finished - imported,
                "peak_mb": peak_kib / 1024,
                "files": len(compilation.tree.files),
            }
        )
    )


def _child_env() -> dict[str, str]:
    # No .pyc files for the generated sources: every run imports them from source, as a fresh clone does.
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def run_compile(project_dir: Path) -> CompileRun:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(project_dir)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=_child_env(), check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"compile failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return CompileRun(
        wall_seconds=wall,
        import_seconds=float(figures["import_seconds"]),
        compile_seconds=float(figures["compile_seconds"]),
        peak_mb=float(figures["peak_mb"]),
        files=int(figures["files"]),
    )


def run_build(project_dir: Path) -> tuple[float, str]:
    command = [str(VENV_BIN / "moncc"), "--project", str(project_dir), "build"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=_child_env(), check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"moncc build failed (exit {result.returncode}):\n{result.stdout}{result.stderr[-4000:]}")
    return wall, result.stdout.strip()


def profile_compile(project_dir: Path, top: int) -> str:
    """cProfile one compile in a fresh interpreter; the `top` functions by cumulative time."""
    with tempfile.NamedTemporaryFile(suffix=".prof") as stats_file:
        command = [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            stats_file.name,
            str(Path(__file__).resolve()),
            "--child",
            str(project_dir),
        ]
        subprocess.run(command, capture_output=True, text=True, env=_child_env(), check=True)
        import io
        import pstats

        report = io.StringIO()
        stats = pstats.Stats(stats_file.name, stream=report)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        return report.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="also cProfile one compile and print the top functions")
    parser.add_argument("--top", type=int, default=30, help="how many functions the profile lists")
    parser.add_argument("--build-runs", type=int, default=BUILD_RUNS, help="how many times to time `moncc build`")
    arguments = parser.parse_args()
    if arguments.child is not None:
        child_compile(arguments.child)
        return

    with tempfile.TemporaryDirectory(prefix="moncc-bench-") as temporary:
        project_dir = Path(temporary)
        started = time.perf_counter()
        generate_project(project_dir)
        total_rules = MODULES * (ALERTS_PER_MODULE + RECORDS_PER_MODULE)
        print(
            f"generated {MODULES} modules, {MODULES * ALERTS_PER_MODULE} alerts + "
            f"{MODULES * RECORDS_PER_MODULE} records ({total_rules} rules) "
            f"in {time.perf_counter() - started:.2f}s under {project_dir}"
        )

        runs = [run_compile(project_dir) for _ in range(COMPILE_RUNS)]
        for number, run in enumerate(runs, start=1):
            print(
                f"compile run {number}: {run.wall_seconds:.2f}s wall "
                f"(imports {run.import_seconds:.2f}s, load+compile {run.compile_seconds:.2f}s), "
                f"peak {run.peak_mb:.0f} MB, {run.files} files"
            )
        compile_seconds = statistics.median(run.wall_seconds for run in runs)
        compile_peak_mb = max(run.peak_mb for run in runs)

        builds = [run_build(project_dir) for _ in range(arguments.build_runs)]
        for number, (seconds, output) in enumerate(builds, start=1):
            print(f"moncc build run {number}: {seconds:.2f}s ({output})")
        build_seconds = statistics.median(seconds for seconds, _ in builds)

        verdict_time = "ok" if compile_seconds < TARGET_SECONDS else "OVER TARGET"
        verdict_mem = "ok" if compile_peak_mb < TARGET_MB else "OVER TARGET"
        print(
            f"\ncompile (median of {COMPILE_RUNS}): {compile_seconds:.2f}s, target < {TARGET_SECONDS:.0f}s: "
            f"{verdict_time}\n"
            f"compile peak RSS (max of {COMPILE_RUNS}): {compile_peak_mb:.0f} MB, target < {TARGET_MB:.0f} MB: "
            f"{verdict_mem}\n"
            f"moncc build with promtool: {build_seconds:.2f}s\n"
        )
        if arguments.profile:
            print(profile_compile(project_dir, arguments.top))

    print(f"compile_seconds={compile_seconds:.3f}")
    print(f"compile_peak_mb={compile_peak_mb:.1f}")
    print(f"build_seconds={build_seconds:.3f}")


if __name__ == "__main__":
    main()
