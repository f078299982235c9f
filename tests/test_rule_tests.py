"""Rule tests through the real CLI and promtool: failures map to source lines, the coverage gate holds."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.conftest import Project, ProjectFactory, promtool_command

ERROR_RATE = """\
from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, counter


def traffic(ok: float, failed: float) -> list:
    return [
        counter('http_requests_total{job="api", code="200"}', ok),
        counter('http_requests_total{job="api", code="500"}', failed),
    ]


api = RuleGroup(
    "api",
    rules=[
        Record(
            "job:http_requests:rate5m",
            expr="sum by (job) (rate(http_requests_total[5m]))",
            tests=[RuleTest("sums every code", series=traffic(9, 1), expect=[Evaluates(at="10m30s", value=10, labels={"job": "api"})])],
        ),
        Alert(
            "HighErrorRate",
            expr='sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
            for_="5m",
            severity="critical",
            summary="{{ $labels.job }} fails requests",
            description="{{ $value | humanizePercentage }} of requests fail",
            tests=[
                RuleTest(
                    "fires at 10% errors",
                    series=traffic(9, 1),
                    expect=[
                        Quiet(at="3m"),
                        Fires(at="15m", labels={"job": "api"}, annotations={"description": "10% of requests fail"}),
                    ],
                ),
                RuleTest("quiet at 1% errors", series=traffic(99, 1), expect=[Quiet(at="20m")]),
            ],
        ),
        Alert("InstanceDown", expr="up == 0", untested="needs a real outage to be meaningful"),
    ],
)
"""


def test_a_tested_repository_passes_and_reports_coverage(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE)
    result = project.run("test")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("HighErrorRate" in line and "fires: yes  quiet: yes" in line for line in lines)
    assert any("InstanceDown" in line and "exempt: needs a real outage to be meaningful" in line for line in lines)
    assert lines[-1] == "alerts: 2, fully tested: 1 (50%), exempt: 1; tests: 3 passed, 0 failed"


def test_the_emitted_test_file_passes_promtool_on_its_own(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE)
    project.build()
    test_file = project.build_dir / "tests" / "api.test.yaml"
    text = test_file.read_text()
    assert "rule_files:\n- ../prometheus/api.rules.yaml\n" in text
    assert text.count("  interval: 1m\n") == 3
    run = subprocess.run(
        [*promtool_command(), "test", "rules", str(test_file)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_wrong_expectation_fails_at_the_tests_line_with_expected_and_got(make_project: ProjectFactory) -> None:
    project = make_project(
        api=ERROR_RATE.replace('labels={"job": "api"}, annotations', 'labels={"job": "web"}, annotations')
    )
    result = project.run("test")
    assert result.exit_code == 1
    [failure, gap] = result.problems
    assert failure.startswith(
        'rules_src/api.py:27: test "fires at 10% errors" fails on prometheus-2, prometheus-3: '
        "alert HighErrorRate at 15m: expected ["
    )
    assert 'job="web"' in failure.split(" got ")[0]
    assert 'job="api"' in failure.split(" got ")[1]
    # The only test showing it firing failed, so nothing shows it firing.
    assert gap == 'rules_src/api.py:19: alert HighErrorRate: no test shows it firing; add a RuleTest, or untested="why"'
    assert "HighErrorRate  fires: NO   quiet: yes" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("tests: 2 passed, 1 failed")


def test_a_wrong_recorded_value_fails_with_the_expression_and_time(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE.replace("value=10,", "value=12,"))
    result = project.run("test")
    assert result.exit_code == 1
    [failure] = result.problems
    assert failure.startswith(
        'rules_src/api.py:17: test "sums every code" fails on prometheus-2, prometheus-3: '
        "job:http_requests:rate5m at 10m30s: expected"
    )
    assert "expected" in failure and "1.2E+01" in failure and "1E+01" in failure


def test_an_untested_alert_fails_the_gate(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE.replace(', untested="needs a real outage to be meaningful"', ""))
    result = project.run("test")
    assert result.exit_code == 1
    assert result.problems == [
        'rules_src/api.py:38: alert InstanceDown: no test shows it firing or quiet; add a RuleTest, or untested="why"'
    ]
    assert "alerts: 2, fully tested: 1 (50%), exempt: 0" in result.stdout


def test_an_alert_shown_only_firing_fails_the_gate(make_project: ProjectFactory) -> None:
    project = make_project(
        api=ERROR_RATE.replace(
            'RuleTest("quiet at 1% errors", series=traffic(99, 1), expect=[Quiet(at="20m")]),', ""
        ).replace('Quiet(at="3m"),', "")
    )
    result = project.run("test")
    assert result.exit_code == 1
    assert result.problems == [
        'rules_src/api.py:19: alert HighErrorRate: no test shows it quiet; add a RuleTest, or untested="why"'
    ]


def test_a_test_of_a_missing_alert_is_a_build_error(project: Project) -> None:
    project.write(
        "api",
        """
        from compiler.dsl import Alert, Quiet, RuleGroup, RuleTest, counter

        api = RuleGroup(
            "api",
            rules=[Alert("Down", expr="up == 0")],
            tests=[RuleTest("typo", series=[counter("x_total", 1)], expect=[Quiet(at="5m", alert="Dwn")])],
        )
        """,
    )
    assert project.build_fails() == [
        'rules_src/api.py:6: test "typo": alert Dwn is not defined in this module; '
        "a test of a missing alert would pass silently"
    ]


def test_group_tests_must_name_their_alert_and_records_must_exist(project: Project) -> None:
    project.write(
        "api",
        """
        from compiler.dsl import Alert, Evaluates, Quiet, RuleGroup, RuleTest, counter

        api = RuleGroup(
            "api",
            rules=[Alert("Down", expr="up == 0")],
            tests=[
                RuleTest(
                    "unnamed",
                    series=[counter("x_total", 1)],
                    expect=[Quiet(at="5m"), Evaluates(at="5m30s", expr="job:nothing:rate5m", value=1)],
                )
            ],
        )
        """,
    )
    assert project.build_fails() == [
        'rules_src/api.py:7: test "unnamed": Fires/Quiet outside an alert\'s own tests must name the alert: alert=...',
        'rules_src/api.py:7: test "unnamed": record job:nothing:rate5m is not defined in this module nor in a module its rules read',
    ]


def test_annotations_that_need_value_must_be_given(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE.replace(', annotations={"description": "10% of requests fail"}', ""))
    assert project.build_fails() == [
        "rules_src/api.py:27: test \"fires at 10% errors\": alert HighErrorRate at 15m: annotation 'description' "
        "uses more than $labels ($value, functions); give its expected text in Fires(annotations=...)"
    ]


def test_an_annotation_reading_a_label_the_alert_lacks_is_caught(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE.replace('labels={"job": "api"}, annotations', "annotations"))
    assert project.build_fails() == [
        "rules_src/api.py:27: test \"fires at 10% errors\": alert HighErrorRate at 15m: annotation 'summary' "
        "reads $labels.job, which the expected labels lack; add it to labels= (or the alert's result lacks it)"
    ]


def test_a_steady_counter_on_a_window_edge_is_accepted(make_project: ProjectFactory) -> None:
    """At 5m the [5m] window starts on the counters' first sample, which Prometheus 2 counts and 3 does not;
    a steady counter's rate is the same either way, so the test holds on both (tests/test_engine_agreement.py
    shows one refused)."""
    project = make_project(api=ERROR_RATE.replace('Quiet(at="20m")', 'Quiet(at="5m")'))
    project.build()
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_two_tests_of_one_rule_need_different_names(make_project: ProjectFactory) -> None:
    project = make_project(api=ERROR_RATE.replace('"quiet at 1% errors"', '"fires at 10% errors"'))
    problems = project.build_fails()
    assert problems == [
        'rules_src/api.py:35: test "fires at 10% errors": name used twice for HighErrorRate '
        "(first at rules_src/api.py:27)"
    ]


def test_junit_report_names_every_test_case(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project(api=ERROR_RATE.replace("value=10,", "value=12,"))
    report = tmp_path / "reports" / "junit.xml"
    result = project.run("test", "--junit", str(report))
    assert result.exit_code == 1
    root = ElementTree.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("6", "2")
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["prometheus-2", "prometheus-3"]
    for suite, major in zip(suites, ("2.", "3."), strict=True):
        [version] = suite.findall("properties/property[@name='promtool']")
        assert (version.get("value") or "").startswith(major)
        cases = {case.get("name"): case for case in suite.findall("testcase")}
        assert set(cases) == {
            "job:http_requests:rate5m: sums every code",
            "HighErrorRate: fires at 10% errors",
            "HighErrorRate: quiet at 1% errors",
        }
        failed = cases["job:http_requests:rate5m: sums every code"].find("failure")
        assert failed is not None and "at 10m30s" in (failed.get("message") or "")
        assert cases["HighErrorRate: quiet at 1% errors"].find("failure") is None
        assert cases["HighErrorRate: quiet at 1% errors"].get("line") == "35"
        assert cases["HighErrorRate: quiet at 1% errors"].get("classname") == "tests.api"


def test_a_promtool_warning_fails_every_test_of_its_file(
    make_project: ProjectFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything promtool says on stderr besides a test failure (e.g. a rule file pattern matching nothing)
    means the file's tests proved nothing: the real promtool runs, and a wrapper adds such a warning to the
    prometheus-2 engine only."""
    wrapper = tmp_path / "promtool-with-warning"
    wrapper.write_text(
        f'#!/bin/sh\n"{promtool_command()[0]}" "$@"\nstatus=$?\necho "WARNING: no file match pattern x.yaml" >&2\n'
        "exit $status\n"
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PROMTOOL", str(wrapper))
    project = make_project(api=ERROR_RATE)
    result = project.run("test")
    assert result.exit_code == 1
    *failures, gap = result.problems
    assert len(failures) == 3
    assert all(
        "passes on prometheus-3, fails on prometheus-2: tests/api.test.yaml: WARNING: no file match pattern x.yaml"
        in problem
        for problem in failures
    )
    assert gap.endswith('alert HighErrorRate: no test shows it firing or quiet; add a RuleTest, or untested="why"')
