"""Phase-shifted copies of a test: which phases, the copy promtool runs, and what a failing copy is told.

A copy delays every sample by D = E - φ on a finer interval and checks each alert at t + E, so promtool sees
the samples as a server evaluating φ after the scrape. The copy must hold exactly the samples of the test,
each D later: that is checked here against both real promtools.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from compiler.emit.yaml_text import to_yaml
from compiler.model.build import build_model
from compiler.model.test_links import LinkedTest
from compiler.promql.series_notation import expand
from compiler.settings.project import load_project
from compiler.verify import unit_tests, verdicts
from compiler.verify.engines import Engine
from compiler.verify.phases import Phase, delayed_values, phases_of, shifted_test, unshifted_reason
from compiler.verify.promtool import Promtool
from compiler.verify.shards import plan_shards
from tests.conftest import PROMTOOL3, ProjectFactory, promtool_command

MINUTE = timedelta(minutes=1)

MODULE = """\
from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, raw

crash = RuleGroup(
    "crash",
    rules=[
        Record("job:restarts:sum", expr="sum by (job) (restarts_total)"),
        Alert(
            "CrashLooping",
            expr="increase(restarts_total[15m]) > 2",
            severity="warning",
            description="restarted {{ $value | humanize }} times",
            tests=[
                RuleTest("each minute", series=[raw('restarts_total{pod="a"}', "0x5 1x5 2x10")], expect=[Quiet(at="15m")]),
                RuleTest(
                    "each 15 seconds",
                    series=[raw('restarts_total{pod="a"}', "0x80")],
                    interval="15s",
                    expect=[Quiet(at="15m")],
                ),
                RuleTest(
                    "each 5 minutes",
                    series=[raw('restarts_total{pod="a"}', "0+1x10")],
                    interval="5m",
                    expect=[Fires(at="27m", labels={"pod": "a"}, annotations={"description": "restarted 3 times"})],
                ),
                RuleTest(
                    "an expression only",
                    series=[raw('restarts_total{pod="a", job="k"}', "1x20")],
                    expect=[Evaluates(at="10m", expr="job:restarts:sum", labels={"job": "k"}, value=1)],
                ),
            ],
        ),
        Alert("JustStarted", expr="job:uptime:seconds < 300", untested="reads the clock through a record"),
        Alert("LateAtNight", expr="hour() > 22", untested="reads the clock"),
        Alert("Stale", expr="time() - timestamp(up) > 300", untested="reads the clock"),
        Alert("Fixed", expr="up @ 100 == 0", untested="reads the clock"),
        Alert("ByValue", expr="hour(up) > 22", untested="hour of a value, not of the clock"),
    ],
)

uptime = RuleGroup("uptime", rules=[Record("job:uptime:seconds", expr="time() - process_start_time_seconds")])
"""


def linked(make_project: ProjectFactory) -> unit_tests.TestFile:
    [file] = unit_tests.test_files(build_model(load_project(make_project(crash=MODULE).root)))
    return file


def by_name(file: unit_tests.TestFile) -> dict[str, LinkedTest]:
    return {test.test.name: test for test in file.tests}


# --- which phases --------------------------------------------------------------------------------------------


def test_a_quarter_and_three_quarters_into_the_interval_moved_off_the_sample_grid(
    make_project: ProjectFactory,
) -> None:
    file = linked(make_project)
    tests = by_name(file)

    def phases(name: str) -> list[str]:
        return [str(phase) for phase in phases_of(tests[name], MINUTE, file.clock_alerts)]

    assert phases("each minute") == ["15s", "45s"]
    assert phases("each 5 minutes") == ["15s", "45s"]
    # Sampled every 15s, 15s and 45s after an evaluation are sample times: the grid again.
    assert phases("each 15 seconds") == ["22s500ms", "52s500ms"]
    assert phases("an expression only") == []
    assert unshifted_reason(tests["an expression only"]) == (
        "it checks only expressions, which are exact values at grid times"
    )


def test_alerts_that_read_the_clock_are_not_shifted(make_project: ProjectFactory) -> None:
    """The delay would move `time()` (and a fixed `@`) against the samples; through records too."""
    assert linked(make_project).clock_alerts == {"JustStarted", "LateAtNight", "Stale", "Fixed"}


# --- the copy ----------------------------------------------------------------------------------------------------


def test_the_copy_delays_every_sample_on_a_finer_interval_and_moves_every_alert_check() -> None:
    document = {
        "name": "CrashLooping: each 5 minutes",
        "interval": "5m",
        "input_series": [{"series": 'restarts_total{pod="a"}', "values": "0+1x2 _ stale"}],
        "alert_rule_test": [{"eval_time": "27m", "alertname": "CrashLooping", "exp_alerts": []}],
        "promql_expr_test": [{"expr": "restarts_total", "eval_time": "10m", "exp_samples": []}],
    }
    assert shifted_test(document, Phase(timedelta(seconds=15), MINUTE)) == {
        "name": "CrashLooping: each 5 minutes [rules evaluated 15s after the samples]",
        "interval": "15s",
        "input_series": [{"series": 'restarts_total{pod="a"}', "values": "_x3 0 _x19 1 _x19 2 _x39 stale"}],
        "alert_rule_test": [{"eval_time": "28m", "alertname": "CrashLooping", "exp_alerts": []}],
    }


def test_delayed_values_keep_every_value_and_staleness_marker_exact() -> None:
    assert delayed_values("1 _ stale -0.0 0+0.1x3 _x2 inf nan", 60_000, 15_000, 15_000) == (
        "_ 1 _x7 stale _x3 -0.0 _x3 0 _x3 0.1 _x3 0.2 _x3 0.30000000000000004 _x11 inf _x3 nan"
    )


VALUES = "0+0.1x12 _ stale 1e-05 -2.5-0.3x4 1e+20 inf 7x3 _x2 3"


@pytest.mark.parametrize("engine", ["2", "3"])
def test_promtool_reads_the_copy_as_the_same_samples_each_delayed(tmp_path: Path, engine: str) -> None:
    """Every sample of the test at t is in the copy at t + D, with the very same float (promtool 2.42 compares
    values exactly); a staleness marker hides the series in both."""
    promtool = promtool_command() if engine == "2" else [str(PROMTOOL3)]
    (tmp_path / "never.rules.yaml").write_text(
        "groups:\n- name: never\n  rules:\n  - alert: Never\n    expr: vector(0) > 1\n", encoding="utf-8"
    )
    test = {
        "name": "values",
        "interval": "1m",
        "input_series": [{"series": 'y{a="1"}', "values": VALUES}],
        "alert_rule_test": [{"eval_time": "40m", "alertname": "Never", "exp_alerts": []}],
    }
    phase = Phase(timedelta(seconds=15), MINUTE)
    copy = shifted_test(test, phase)
    assert copy["interval"] == "15s"
    test["promql_expr_test"] = _sample_checks(timedelta(0))
    copy["promql_expr_test"] = _sample_checks(phase.delay)
    document = {"rule_files": ["never.rules.yaml"], "evaluation_interval": "1m", "tests": [test, copy]}
    (tmp_path / "values.test.yaml").write_text(to_yaml(document), encoding="utf-8")
    run = subprocess.run(
        [*promtool, "test", "rules", "values.test.yaml"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _sample_checks(delay: timedelta) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    for sample in expand(VALUES, 60_000):
        at = f"{sample.at_ms + round(delay.total_seconds() * 1000)}ms"
        samples = [] if sample.stale else [{"labels": 'y{a="1"}', "value": sample.value}]
        checks.append({"expr": "y", "eval_time": at, "exp_samples": samples})
    return checks


# --- shards --------------------------------------------------------------------------------------------------


def test_a_shard_runs_the_copies_of_its_tests_after_them(make_project: ProjectFactory) -> None:
    file = linked(make_project)
    [whole] = plan_shards([file], MINUTE, 1)
    assert (whole.path, whole.shifted) == (PurePosixPath("tests/crash.test.yaml"), ())
    [shard] = plan_shards([file], MINUTE, 1, phases=True)
    assert shard.path == PurePosixPath(".test-shards/crash.0.test.yaml")
    assert [(test.test.name, str(phase)) for test, phase in shard.shifted_tests] == [
        ("each minute", "15s"),
        ("each minute", "45s"),
        ("each 15 seconds", "22s500ms"),
        ("each 15 seconds", "52s500ms"),
        ("each 5 minutes", "15s"),
        ("each 5 minutes", "45s"),
    ]


# --- what a failing copy is told -----------------------------------------------------------------------------

COPY_FAILED = """\
  FAILED:
    name: {name},
    alertname: CrashLooping, time: {at},
        exp:{exp},
        got:[
            0:
              Labels:{{alertname="CrashLooping", pod="a", severity="warning"}}
              Annotations:{{description="restarted {value} times"}}
            ]
"""
ENGINE_2 = Engine("prometheus-2", Promtool(("promtool",)), "2.42.0")
ENGINE_3 = Engine("prometheus-3", Promtool(("promtool",)), "3.5.3")


def verdict_of(file: unit_tests.TestFile, name: str, reports: dict[tuple[Engine, Phase], str]) -> verdicts.TestVerdict:
    """The verdict of test `name` when it passes on the grid and its copies report `reports` (stderr)."""
    test = by_name(file)[name]
    outcomes = []
    for engine in (ENGINE_2, ENGINE_3):
        shifted = [(test, phase) for phase in phases_of(test, MINUTE)]
        stderr = "".join(reports.get((engine, phase), "") for _, phase in shifted)
        report = unit_tests.PromtoolReport(1 if stderr else 0, "", stderr, 1.0)
        outcomes.append(unit_tests.test_outcomes(file, [test], engine, report, shifted))
    [verdict] = verdicts.verdicts(outcomes)
    return verdict


def test_a_quiet_expectation_that_fires_off_the_grid_is_one_line_at_its_own(make_project: ProjectFactory) -> None:
    file = linked(make_project)
    test = by_name(file)["each minute"]
    early, late = phases_of(test, MINUTE)
    fires = {
        (engine, phase): COPY_FAILED.format(name=phase.test_name(test.name), at="16m", exp="[]", value=value)
        for engine in (ENGINE_2, ENGINE_3)
        for phase, value in ((early, "2.036"), (late, "2.107"))
    }
    verdict = verdict_of(file, "each minute", fires)
    assert (verdict.passed_on_grid, verdict.passed, verdict.phase_robust) == (True, False, False)
    [problem] = verdict.problems()
    assert problem.location is not None and problem.location.line == 13
    assert problem.message == (
        'test "each minute": Quiet(at=15m) of CrashLooping holds only when rules are evaluated on the sample grid: '
        "evaluated 15s or 45s after the samples (as a server whose group runs 15s or 45s after the scrape) it fires "
        "(prometheus-2, prometheus-3)"
    )


def test_an_annotation_that_reads_otherwise_names_the_phase_and_the_engine(make_project: ProjectFactory) -> None:
    file = linked(make_project)
    test = by_name(file)["each 5 minutes"]
    early, _ = phases_of(test, MINUTE)
    expected = '[0: Labels:{alertname="CrashLooping", pod="a", severity="warning"} Annotations:{description="restarted 3 times"}]'
    report = COPY_FAILED.format(name=early.test_name(test.name), at="28m", exp=expected, value="3.103")
    verdict = verdict_of(file, "each 5 minutes", {(ENGINE_3, early): report})
    [problem] = verdict.problems()
    assert problem.message == (
        'test "each 5 minutes": Fires(at=27m) of CrashLooping holds only when rules are evaluated on the sample '
        "grid: evaluated 15s after the samples (as a server whose group runs 15s after the scrape) its description "
        'reads "restarted 3.103 times" where the test expects "restarted 3 times" (prometheus-3)'
    )


def test_a_test_that_holds_at_every_phase_is_phase_robust(make_project: ProjectFactory) -> None:
    verdict = verdict_of(linked(make_project), "each 5 minutes", {})
    assert (verdict.passed, verdict.phase_robust, verdict.problems()) == (True, True, [])
    assert len(verdict.shifted) == 4
