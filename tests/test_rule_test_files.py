"""The promtool test files a build writes: a test loads the rule files of every record its rules read (from any
module, transitively), and the `Evaluates` of one expression at one time are one `promql_expr_test` with all
their samples; through the real promtool on both engines, and through `moncc import rules --tests`.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.conftest import PROMTOOL3, Project, ProjectFactory, load_yaml, promtool_command, source

BASE = source(
    """
    from compiler.dsl import Record, RuleGroup

    base = RuleGroup("base", rules=[Record("job:requests:rate1m", expr="sum by (job) (rate(requests_total[2m]))")])
    """
)

RATIOS = source(
    """
    from compiler.dsl import Record, RuleGroup

    ratios = RuleGroup(
        "ratios",
        rules=[
            Record(
                "job:errors:ratio",
                expr='sum by (job) (rate(requests_total{code="500"}[2m])) / job:requests:rate1m',
            )
        ],
    )
    """
)

ALERTS = source(
    """
    from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, counter

    alerts = RuleGroup(
        "alerts",
        rules=[
            Alert(
                "HighErrorRatio",
                expr="job:errors:ratio > 0.05",
                for_="2m",
                severity="page",
                summary="errors",
                tests=[
                    RuleTest(
                        "fires at 10% errors",
                        series=[
                            counter('requests_total{job="api", code="200"}', 9),
                            counter('requests_total{job="api", code="500"}', 1),
                        ],
                        expect=[Fires(at="10m", labels={"job": "api"})],
                    ),
                    RuleTest(
                        "quiet without errors",
                        series=[
                            counter('requests_total{job="api", code="200"}', 9),
                            counter('requests_total{job="api", code="500"}', 0),
                        ],
                        expect=[Quiet(at="10m")],
                    ),
                ],
            )
        ],
    )
    """
)


def passed_everywhere(project: Project, count: int) -> None:
    """`moncc test` passed `count` tests on prometheus-2 and on prometheus-3."""
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    for engine in ("prometheus-2", "prometheus-3"):
        assert re.search(rf"^{engine} \(promtool [^)]+\): {count} passed, 0 failed", result.stdout, re.M), result.stdout


def test_an_alert_reading_another_modules_record_loads_its_rule_file_transitively(
    make_project: ProjectFactory,
) -> None:
    project = make_project(alerts=ALERTS, ratios=RATIOS, base=BASE)
    project.build()
    document = load_yaml(project.build_dir / "tests" / "alerts.test.yaml")
    assert document["rule_files"] == [
        "../prometheus/base.rules.yaml",
        "../prometheus/ratios.rules.yaml",
        "../prometheus/alerts.rules.yaml",
    ]
    assert document["group_eval_order"] == ["base", "ratios", "alerts"]
    passed_everywhere(project, 2)


def test_the_window_rule_follows_records_of_other_modules(make_project: ProjectFactory) -> None:
    windowed = ALERTS.replace('expr="job:errors:ratio > 0.05"', 'expr="max_over_time(job:errors:ratio[5m]) > 0.05"')
    project = make_project(alerts=windowed, ratios=RATIOS, base=BASE)
    problems = project.build_fails()
    assert problems, "a window over another module's record starting on an evaluation must be refused"
    assert all("a sample of record job:errors:ratio" in problem for problem in problems), problems


MULTI_SAMPLE = source(
    """
    from compiler.dsl import Evaluates, Record, RuleGroup, RuleTest, raw

    jobs = RuleGroup(
        "jobs",
        rules=[
            Record(
                "job:up:sum",
                expr="sum by (job) (up)",
                tests=[
                    RuleTest(
                        "two jobs at once",
                        series=[raw('up{job="a", instance="1"}', "1x10"), raw('up{job="b", instance="1"}', "1x10")],
                        expect=[
                            Evaluates(at="3m", value=1, labels={"job": "a"}),
                            Evaluates(at="3m", value=1, labels={"job": "b"}),
                            Evaluates(at="5m", value=1, labels={"job": "a"}, expr='job:up:sum{job="a"}'),
                        ],
                    )
                ],
            )
        ],
    )
    """
)


def test_evaluates_of_one_expression_and_time_are_one_promql_expr_test(make_project: ProjectFactory) -> None:
    project = make_project(jobs=MULTI_SAMPLE)
    project.build()
    (test,) = load_yaml(project.build_dir / "tests" / "jobs.test.yaml")["tests"]
    assert test["promql_expr_test"] == [
        {
            "expr": "job:up:sum",
            "eval_time": "3m",
            "exp_samples": [
                {"labels": 'job:up:sum{job="a"}', "value": 1.0},
                {"labels": 'job:up:sum{job="b"}', "value": 1.0},
            ],
        },
        {
            "expr": 'job:up:sum{job="a"}',
            "eval_time": "5m",
            "exp_samples": [{"labels": 'job:up:sum{job="a"}', "value": 1.0}],
        },
    ]
    passed_everywhere(project, 1)


def test_the_same_series_expected_twice_is_refused(make_project: ProjectFactory) -> None:
    twice = MULTI_SAMPLE.replace('labels={"job": "b"}', 'labels={"job": "a"}')
    problems = make_project(jobs=twice).build_fails()
    assert any("the same series expected twice" in problem for problem in problems), problems


UPSTREAM_RECORDS = """\
groups:
- name: base
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
"""

UPSTREAM_ALERTS = """\
groups:
- name: alerts
  rules:
  - alert: JobDown
    expr: job:up:sum == 0
    for: 1m
    labels: {severity: page}
"""

UPSTREAM_TESTS = """\
rule_files: [records.yaml, alerts.yaml]
evaluation_interval: 1m
group_eval_order: [base, alerts]
tests:
- name: both jobs
  interval: 1m
  input_series:
  - {series: 'up{job="a", instance="1"}', values: '1x10'}
  - {series: 'up{job="b", instance="1"}', values: '1x10'}
  promql_expr_test:
  - expr: job:up:sum
    eval_time: 3m
    exp_samples:
    - {labels: 'job:up:sum{job="a"}', value: 1}
    - {labels: 'job:up:sum{job="b"}', value: 1}
- name: wrong count
  interval: 1m
  input_series:
  - {series: 'up{job="a", instance="1"}', values: '1x10'}
  - {series: 'up{job="b", instance="1"}', values: '1x10'}
  promql_expr_test:
  - expr: job:up:sum
    eval_time: 4m
    exp_samples:
    - {labels: 'job:up:sum{job="a"}', value: 1}
    - {labels: 'job:up:sum{job="b"}', value: 2}
- name: a job goes down
  interval: 1m
  input_series:
  - {series: 'up{job="a", instance="1"}', values: '1x3 0x10'}
  alert_rule_test:
  - eval_time: 2m
    alertname: JobDown
    exp_alerts: []
  - eval_time: 8m
    alertname: JobDown
    exp_alerts: [{exp_labels: {severity: page, job: a}}]
"""


def upstream_verdicts(folder: Path, promtool: list[str]) -> str:
    """What promtool says of the upstream suite, run where it lives."""
    run = subprocess.run(
        [*promtool, "test", "rules", "tests.yaml"], cwd=folder, capture_output=True, text=True, check=False
    )
    return run.stdout + run.stderr


def test_an_upstream_suite_with_several_samples_across_files_keeps_its_verdicts(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    for name, text in (
        ("records.yaml", UPSTREAM_RECORDS),
        ("alerts.yaml", UPSTREAM_ALERTS),
        ("tests.yaml", UPSTREAM_TESTS),
    ):
        (upstream / name).write_text(text)
    for promtool in (promtool_command(), [str(PROMTOOL3)]):
        said = upstream_verdicts(upstream, promtool)
        assert said.count("FAILED") == 1 and re.search(r'exp: .*job="b"\} 2E\+00\n', said), said
    project = make_project()
    result = project.run(
        "import",
        "rules",
        str(upstream / "records.yaml"),
        str(upstream / "alerts.yaml"),
        "--tests",
        str(upstream / "tests.yaml"),
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (project.rules_dir / "records.py").read_text().count("Evaluates(") == 4
    project.build()
    assert load_yaml(project.build_dir / "tests" / "alerts.test.yaml")["rule_files"] == [
        "../prometheus/records.rules.yaml",
        "../prometheus/alerts.rules.yaml",
    ]
    result = project.run("test")
    assert result.exit_code == 1, result.stdout + result.stderr
    for engine in ("prometheus-2", "prometheus-3"):
        assert re.search(rf"^{engine} \(promtool [^)]+\): 2 passed, 1 failed", result.stdout, re.M), result.stdout
    failures = [line for line in result.stderr.splitlines() if "fails" in line]
    assert len(failures) == 1 and '"wrong count"' in failures[0], result.stderr
