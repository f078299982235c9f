"""promtool's verdicts replayed in a real Prometheus 2.42: the SLO module's tests, and two small modules that
show what a replay sees and what it skips.

Each promtool test of build/tests/slos.test.yaml is replayed at its evaluation time on a server of its own
(tests/live/replay.py: older samples backfilled as blocks, the last two minutes remote-written while the rules
evaluate, the verdict read at the first evaluation that follows). Every burn-rate alert has no `for` and reads
its window records only at the instant, and those records read raw series: a fresh server decides every check
but those of native-histogram SLIs, whose series Prometheus 2.42 cannot be given here (promtool 3 tests them).
The replays run `WORKERS` at a time: about 15 s on two cores (a minute one at a time).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.live.replay import Outcome, run
from tests.live.replay_checks import Replay
from tests.live.replay_plan import NATIVE_HISTOGRAMS, plan
from tests.live.servers import find_binary

SLO_TESTS = REPO_ROOT / "build" / "tests" / "slos.test.yaml"
SLO_PLAN = plan(SLO_TESTS)
WORKERS = 4
"""Replays at once: each server mostly waits for its next evaluation."""


@pytest.fixture(scope="module")
def slo_outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Replay, Future[Outcome]]]:
    """Every replay of the SLO tests, run `WORKERS` at a time; leaving waits for all (every server stopped)."""
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="replay") as pool:
        yield {
            replay: pool.submit(run, replay, SLO_PLAN.rules, tmp_path_factory.mktemp("replay"))
            for replay in SLO_PLAN.replays
        }


def test_every_slo_check_is_replayed() -> None:
    """All but the checks a fresh server cannot decide: native-histogram SLIs' and a tier's own `for:`."""
    tests = yaml.safe_load(SLO_TESTS.read_text())["tests"]
    checks = sum(len(test.get("alert_rule_test", [])) + len(test.get("promql_expr_test", [])) for test in tests)
    reasons = {skipped.reason for skipped in SLO_PLAN.skipped}
    assert all(reason == NATIVE_HISTOGRAMS or reason.startswith("`for: ") for reason in reasons), reasons
    skipped = {(skipped.test, skipped.eval_ms, skipped.check) for skipped in SLO_PLAN.skipped}
    replayed = sum(len(replay.checks) for replay in SLO_PLAN.replays)
    assert replayed + len(skipped) == checks
    assert replayed >= 30, "the SLO module's burn-rate checks are replayed"


@pytest.mark.parametrize("replay", SLO_PLAN.replays, ids=str)
def test_prometheus_reaches_promtools_verdict(replay: Replay, slo_outcomes: dict[Replay, Future[Outcome]]) -> None:
    outcome = slo_outcomes[replay].result()
    assert not outcome.disagreements, "\n".join(str(verdict) for verdict in outcome.disagreements)


CHAIN_RULES = """\
groups:
  - name: raw
    rules:
      - record: job:queue_depth:max
        expr: max by (job) (queue_depth)
  - name: derived
    rules:
      - record: job:queue_depth:doubled
        expr: 2 * job:queue_depth:max
  - name: alerts
    rules:
      - alert: QueueDeep
        expr: job:queue_depth:doubled > 10
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.job }} holds {{ $value }}"
"""

CHAIN_TESTS = """\
rule_files: [rules.yaml]
evaluation_interval: 1m
group_eval_order: [raw, derived, alerts]
tests:
  - name: only the newest sample is deep
    interval: 1m
    input_series:
      - series: queue_depth{job="orders", instance="a"}
        values: 0x9 8
      - series: queue_depth{job="orders", instance="b"}
        values: 1x10
    alert_rule_test:
      - eval_time: 9m
        alertname: QueueDeep
      - eval_time: 10m
        alertname: QueueDeep
        exp_alerts:
          - exp_labels: {job: orders, severity: page}
            exp_annotations: {summary: orders holds 16}
    promql_expr_test:
      - expr: job:queue_depth:doubled
        eval_time: 10m
        exp_samples:
          - labels: 'job:queue_depth:doubled{job="orders"}'
            value: 16
"""


def test_a_verdict_is_read_after_the_written_samples_reach_every_record_it_reads(tmp_path: Path) -> None:
    """The alert fires on the sample at t alone, which is remote-written after the server starts, through two
    records in two groups: the verdict must wait for the raw group, then the derived group, to evaluate it."""
    (tmp_path / "rules.yaml").write_text(CHAIN_RULES)
    tests = tmp_path / "chain.test.yaml"
    tests.write_text(CHAIN_TESTS)
    promtool = subprocess.run(
        [find_binary("promtool", package="prometheus"), "test", "rules", tests.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert promtool.returncode == 0, promtool.stdout + promtool.stderr

    chain = plan(tests)
    assert chain.skipped == ()
    assert [(str(replay), len(replay.checks)) for replay in chain.replays] == [
        ("only the newest sample is deep @ 9m", 1),
        ("only the newest sample is deep @ 10m", 2),
    ]
    for index, replay in enumerate(chain.replays):
        outcome = run(replay, chain.rules, tmp_path / f"replay-{index}")
        assert not outcome.disagreements, "\n".join(str(verdict) for verdict in outcome.disagreements)


UNREPLAYABLE_RULES = """\
groups:
  - name: errors
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(errors_total[5m]))
      - record: job:errors:ahead
        expr: job:errors:later * 2
      - record: job:errors:later
        expr: job:errors:rate5m
  - name: alerts
    rules:
      - alert: ErrorsNow
        expr: job:errors:rate5m > 1
      - alert: ErrorsForLong
        expr: job:errors:rate5m > 1
        for: 5m
      - alert: ErrorsTrend
        expr: avg_over_time(job:errors:rate5m[1h]) > 1
      - alert: ErrorsAtNight
        expr: job:errors:rate5m > 1 and on() hour() < 6
      - alert: ErrorsLastWeek
        expr: job:errors:rate5m offset 1w > 1
      - alert: ErrorsAhead
        expr: job:errors:ahead > 1
      - alert: ErrorsStillAlerting
        expr: ALERTS{alertname="ErrorsNow"} == 1
"""


UNREPLAYABLE_ALERTS = [
    "ErrorsNow",
    "ErrorsForLong",
    "ErrorsTrend",
    "ErrorsAtNight",
    "ErrorsLastWeek",
    "ErrorsAhead",
    "ErrorsStillAlerting",
]
UNREPLAYABLE_TESTS = {
    "rule_files": ["rules.yaml"],
    "evaluation_interval": "1m",
    "tests": [
        {
            "name": "errors",
            "interval": "1m",
            "input_series": [{"series": 'errors_total{job="api"}', "values": "0+10x40"}],
            "alert_rule_test": [{"eval_time": "30m", "alertname": alert} for alert in UNREPLAYABLE_ALERTS],
            "promql_expr_test": [{"expr": "max_over_time(rate(errors_total[5m])[10m:1m])", "eval_time": "30m"}],
        },
        {
            "name": "a stale marker",
            "interval": "1m",
            "input_series": [{"series": 'errors_total{job="api"}', "values": "0 stale 0+10x40"}],
            "alert_rule_test": [{"eval_time": "30m", "alertname": "ErrorsNow"}],
        },
    ],
}


def test_a_check_a_fresh_server_cannot_decide_is_skipped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(UNREPLAYABLE_RULES)
    tests = tmp_path / "errors.test.yaml"
    tests.write_text(yaml.safe_dump(UNREPLAYABLE_TESTS))

    found = plan(tests)

    assert [(str(replay), [str(check) for check in replay.checks]) for replay in found.replays] == [
        ("errors @ 30m", ["ErrorsNow"])
    ]
    assert [str(skipped) for skipped in found.skipped] == [
        "errors @ 30m: ErrorsForLong: `for: 5m` needs that long of evaluations",
        "errors @ 30m: ErrorsTrend: reads record job:errors:rate5m over [1h]: its history",
        "errors @ 30m: ErrorsAtNight: hour() reads absolute time",
        "errors @ 30m: ErrorsLastWeek: reads record job:errors:rate5m with an offset: its history",
        "errors @ 30m: ErrorsAhead: reads record job:errors:later, which its own group writes later: "
        "its previous value",
        "errors @ 30m: ErrorsStillAlerting: reads ALERTS: the history of alert evaluations",
        "errors @ 30m: max_over_time(rate(errors_total[5m])[10m:1m]): a subquery's steps fall on multiples of its "
        "step since 1970",
        "a stale marker @ 30m: ErrorsNow: {'__name__': 'errors_total', 'job': 'api'} has a staleness marker at 1m, "
        "before the remote-written samples: OpenMetrics cannot carry one into the backfilled blocks",
    ]
