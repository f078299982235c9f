"""A test whose verdict can depend on the engine is refused at its expectation's line; the fix passes on both.

Prometheus 2 selects `[t - r, t]`, Prometheus 3 `(t - r, t]`: a restart counter sampled each minute has a sample
on the left edge of `increase(...[15m])` at every evaluation, and 3 extrapolates over the missing minute (3.214
restarts where 2 counts 3). Sampled once per restart, the counter is steady and both count the same.
"""

from __future__ import annotations

import pytest

from tests.conftest import PROMTOOL3, Project, ProjectFactory, promtool_command
from tests.test_slo_cli import MIXED

CRASH_LOOP = """\
from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, counter, raw

RESTARTS = 'kube_pod_container_status_restarts_total{{namespace="shop", pod="p", container="c"}}'

crash = RuleGroup(
    "crash",
    rules=[
        Alert(
            "KubePodCrashLooping",
            expr="sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[15m])) > 2",
            for_="10m",
            severity="warning",
            description="restarted {{{{ $value | humanize }}}} times in the last 15 minutes",
            tests=[
                RuleTest(
                    "fires when the container restarts every 5 minutes",
                    series=[{series}],
                    interval="{interval}",
                    expect=[
                        Quiet(at="8m"),
                        Fires(
                            at="37m",
                            labels={{"namespace": "shop", "pod": "p", "container": "c"}},
                            annotations={{"description": "restarted 3 times in the last 15 minutes"}},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when it restarts every 20 minutes",
                    series=[counter(RESTARTS, 1 / 1200)],
                    interval="5m",
                    expect=[Quiet(at="40m")],
                ),
            ],
        )
    ],
)
"""

EACH_MINUTE = 'raw(RESTARTS, "0x9 1x4 2x4 3x4 4x4 5x4 6x30")'
STEADY = "counter(RESTARTS, 1 / 300)"


def test_a_sample_on_a_window_edge_is_refused_at_the_expectations_line(project: Project) -> None:
    project.write("crash", CRASH_LOOP.format(series=EACH_MINUTE, interval="1m"))
    problems = project.build_fails()
    assert len(problems) == 1
    assert problems[0].startswith(
        'rules_src/crash.py:21: test "fires when the container restarts every 5 minutes": at 37m: '
        "increase(kube_pod_container_status_restarts_total{}[15m]) evaluated at 27m has a sample of "
        'kube_pod_container_status_restarts_total{namespace="shop", pod="p", container="c"} exactly on the left '
        "edge of the window (12m), which Prometheus 2 counts and 3 does not: 3 against 3.21428571429; "
    )
    assert "keep the series steady across every window" in problems[0]


@pytest.mark.parametrize("promtool", ["2", "3"])
def test_the_steady_series_passes_on_each_engine(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, promtool: str
) -> None:
    monkeypatch.setenv("PROMTOOL", " ".join(promtool_command()) if promtool == "2" else str(PROMTOOL3))
    project = make_project(crash=CRASH_LOOP.format(series=STEADY, interval="5m"))
    project.build()
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "alerts: 1, fully tested: 1 (100%)" in result.stdout


@pytest.mark.parametrize("promtool", ["2", "3"])
def test_generated_slo_tests_of_every_sli_kind_pass_on_each_engine(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, promtool: str
) -> None:
    monkeypatch.setenv("PROMTOOL", " ".join(promtool_command()) if promtool == "2" else str(PROMTOOL3))
    project = make_project(slos=MIXED)
    project.build()
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "alerts: 6, fully tested: 6 (100%), exempt: 0" in result.stdout
