"""A test that holds only when rules are evaluated exactly on the sample grid fails at its expectation's line.

A real Prometheus evaluates a group at its own offset after the scrape. A restart counter that is exactly 2 over
15 minutes at 15m on the grid (its window's first sample reads 0, so both engines extrapolate nothing) is
2.036 at 15m15s and 2.107 at 15m45s: `increase(...[15m]) > 2` is quiet in promtool and fires in production.
Counted once per restart window, well below or above the threshold, the same alert holds at every phase.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from tests.conftest import ProjectFactory

CRASH_LOOP = """\
from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, raw

RESTARTS = 'restarts_total{pod="checkout"}'

crash = RuleGroup(
    "crash",
    rules=[
        Alert(
            "CrashLooping",
            expr="increase(restarts_total[15m]) > 2",
            severity="warning",
            description="restarted {{ $value | humanize }} times",
            tests=[
                RuleTest(
                    "quiet at two restarts in 15 minutes",
                    series=[raw(RESTARTS, "0x5 1x5 2x10")],
                    expect=[Quiet(at="15m")],
                ),
                RuleTest(
                    "fires at a restart every 5 minutes",
                    series=[raw(RESTARTS, "0+1x10")],
                    interval="5m",
                    expect=[
                        Quiet(at="5m"),
                        Fires(
                            at="27m",
                            labels={"pod": "checkout"},
                            annotations={"description": "restarted 3 times"},
                        ),
                    ],
                ),
            ],
        )
    ],
)
"""

ROBUST = CRASH_LOOP.replace('"0x5 1x5 2x10"', '"0x20"')
"""The quiet test with no restarts at all: quiet at every phase."""
WRONG_ON_GRID = CRASH_LOOP.replace('Quiet(at="5m")', 'Quiet(at="20m")')
"""The firing test expecting quiet where it fires on the grid too."""


def test_a_knife_edge_test_fails_at_its_expectations_line_naming_the_phases_and_engines(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    project = make_project(crash=CRASH_LOOP)
    report = tmp_path / "junit.xml"
    result = project.run("test", "--junit", str(report))
    assert result.exit_code == 1
    assert result.problems == [
        'rules_src/crash.py:17: test "quiet at two restarts in 15 minutes": Quiet(at=15m) of CrashLooping holds '
        "only when rules are evaluated on the sample grid: evaluated 15s or 45s after the samples (as a server "
        "whose group runs 15s or 45s after the scrape) it fires (prometheus-2, prometheus-3)"
    ]
    lines = result.stdout.splitlines()
    assert [line.split(":")[1].split(";")[0] for line in lines[:2]] == [" 1 passed, 1 failed"] * 2
    assert (
        "phases: 1 test also proven phase-robust (rules evaluated 15s and 45s after the samples), "
        "1 test holds only on the sample grid, 0 tests not shifted (checking only expressions, an alert that "
        "reads the clock, or native-histogram series)"
    ) in lines
    # The alert still shows firing and quiet, through the test that holds at every phase.
    assert lines[-1] == "alerts: 1, fully tested: 1 (100%), exempt: 0; tests: 1 passed, 1 failed"
    for suite in ElementTree.parse(report).getroot().findall("testsuite"):
        cases = {case.get("name"): case.find("failure") for case in suite.findall("testcase")}
        knife_edge = cases["CrashLooping: quiet at two restarts in 15 minutes"]
        assert knife_edge is not None
        assert (knife_edge.get("message") or "").startswith(
            'test "quiet at two restarts in 15 minutes": Quiet(at=15m) of CrashLooping holds only when'
        )
        assert cases["CrashLooping: fires at a restart every 5 minutes"] is None


def test_tests_that_hold_at_every_phase_pass(make_project: ProjectFactory) -> None:
    result = make_project(crash=ROBUST).run("test")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "phases: 2 tests also proven phase-robust (rules evaluated 15s and 45s after the samples)" in result.stdout


def test_a_test_failing_on_the_grid_is_reported_once_as_before(make_project: ProjectFactory) -> None:
    result = make_project(crash=WRONG_ON_GRID).run("test")
    assert result.exit_code == 1
    firing = [problem for problem in result.problems if "fires at a restart every 5 minutes" in problem]
    assert len(firing) == 1
    assert firing[0].startswith(
        'rules_src/crash.py:19: test "fires at a restart every 5 minutes" fails on prometheus-2, prometheus-3: '
        "alert CrashLooping at 20m: expected [] got [0: Labels:{"
    )
