"""Benchmark: 1,000 SLOs, constructed, generated into rule groups and emitted as YAML, in under 2 s.

The SLOs mix the three SLI kinds and the 30d and 28d periods, and all have page and ticket alerts, so each
gives 17 rules (8 SLI recordings, 7 metadata recordings, 2 alerts): 17,000 validated rules in all. Every run
happens in a fresh interpreter, after the compiler is imported, so the figure is what a build spends on SLOs.

    .venv/bin/python tests/bench/bench_slo.py             # the benchmark
    .venv/bin/python tests/bench/bench_slo.py --profile   # also cProfile one run, top functions

The last two lines of output are machine-readable: `slo_cpu_seconds=` and `slo_seconds=` (wall time, the
target; CPU time shows what a busy machine adds). `to_yaml` pauses the cyclic garbage collector
while it dumps, as `moncc` does for a whole command.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

SLOS = 1_000
RUNS = 3
TARGET_SECONDS = 2.0

REPO = Path(__file__).resolve().parents[2]


def child_run(profile: bool) -> None:
    """In a fresh interpreter: construct, generate and emit the SLOs; print one JSON line with the figures."""
    sys.path.insert(0, str(REPO))
    from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier
    from compiler.emit.rule_files import group_document
    from compiler.emit.yaml_text import to_yaml
    from compiler.slo import slo_rule_groups

    def sli(index: int) -> RatioSLI | LatencySLI | ErrorRatioSLI:
        job = f"svc{index:04d}"
        if index % 3 == 0:
            return RatioSLI(
                errors=f'sum(rate(http_requests_total{{job="{job}",code=~"5.."}}[{{{{window}}}}]))',
                total=f'sum(rate(http_requests_total{{job="{job}"}}[{{{{window}}}}]))',
            )
        if index % 3 == 1:
            return LatencySLI(
                metric="http_request_duration_seconds",
                selector=f'job="{job}"',
                threshold=0.5,
                buckets=[0.1, 0.25, 0.5, 1, 2.5],
            )
        return ErrorRatioSLI(
            query=f"""
                sum(rate(queue_messages_failed_total{{job="{job}"}}[{{{{window}}}}]))
                /
                sum(rate(queue_messages_total{{job="{job}"}}[{{{{window}}}}]))
            """
        )

    def slos() -> list[SLO]:
        return [
            SLO(
                service=f"svc{index:04d}",
                name="availability",
                objective=99.9 if index % 2 else 99.5,
                period="28d" if index % 4 == 0 else "30d",
                labels={"team": f"team{index % 10}"},
                sli=sli(index),
                alerting=Alerting(
                    name=f"Svc{index:04d}BudgetBurn",
                    runbook_url=f"https://runbooks.example.com/Svc{index:04d}BudgetBurn",
                    page=Tier(severity="critical"),
                    ticket=Tier(severity="warning"),
                ),
            )
            for index in range(SLOS)
        ]

    def run() -> dict[str, float]:
        started, started_cpu = time.perf_counter(), time.process_time()
        built = slos()
        constructed = time.perf_counter()
        groups = [group for slo in built for group in slo_rule_groups(slo)]
        generated = time.perf_counter()
        text = to_yaml({"groups": [group_document(group) for group in groups]})
        emitted, emitted_cpu = time.perf_counter(), time.process_time()
        return {
            "construct": constructed - started,
            "generate": generated - constructed,
            "emit": emitted - generated,
            "cpu": emitted_cpu - started_cpu,
            "rules": sum(len(group.rules) for group in groups),
            "bytes": len(text),
        }

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(25)
        return
    print(json.dumps(run()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="also cProfile one run and print the top functions")
    arguments = parser.parse_args()
    if arguments.child:
        child_run(arguments.profile)
        return

    totals, cpus = [], []
    for number in range(1, RUNS + 1):
        command = [sys.executable, str(Path(__file__).resolve()), "--child"]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        total = figures["construct"] + figures["generate"] + figures["emit"]
        totals.append(total)
        cpus.append(figures["cpu"])
        print(
            f"run {number}: {total:.2f}s wall, {figures['cpu']:.2f}s CPU (construct {figures['construct']:.2f}s, "
            f"generate {figures['generate']:.2f}s, emit {figures['emit']:.2f}s) for {SLOS} SLOs, "
            f"{figures['rules']:.0f} rules, {figures['bytes'] / 1e6:.1f} MB of YAML"
        )
    median = statistics.median(totals)
    verdict = "ok" if median < TARGET_SECONDS else "OVER TARGET"
    print(
        f"\n{SLOS} SLOs (median of {RUNS}): {median:.2f}s wall ({statistics.median(cpus):.2f}s CPU), "
        f"target < {TARGET_SECONDS:.0f}s: {verdict}"
    )
    if arguments.profile:
        command = [sys.executable, str(Path(__file__).resolve()), "--child", "--profile"]
        print(subprocess.run(command, capture_output=True, text=True, check=True).stderr)
    print(f"slo_cpu_seconds={statistics.median(cpus):.3f}")
    print(f"slo_seconds={median:.3f}")


if __name__ == "__main__":
    main()
