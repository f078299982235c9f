"""`alert/always-fires`: what counts as filtering, branch by branch, and the rules that only look like they fire."""

from __future__ import annotations

import pytest

from compiler.lint.checks.alert_always_fires import ALERT_SERIES, unfiltered
from compiler.promql.parse import parse_expr
from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "alert/always-fires"


def _culprit(expr: str, conditions: frozenset[str] = ALERT_SERIES) -> str | None:
    found = unfiltered(parse_expr(expr), lambda name: name in conditions)
    return None if found is None else str(found)


@pytest.mark.parametrize(
    ("expr", "culprit"),
    [
        ("rate(http_errors_total[5m])", "http_errors_total"),
        ('sum by (job) (rate(http_errors_total{code=~"5.."}[5m]))', "http_errors_total"),
        ("node_load1 > bool 4", "node_load1"),
        ("(node_load1 > bool 4) + (node_load5 > bool 4)", "node_load1"),
        ("up and on (job) kube_pod_info", "up"),
        ("queue_depth * on (queue) group_left (team) queue_owner_info", "queue_depth"),
        ("time() - node_boot_time_seconds", "node_boot_time_seconds"),
        ("100 * node_memory_MemAvailable_bytes", "node_memory_MemAvailable_bytes"),
        ('label_replace(up, "service", "$1", "job", "(.*)")', "up"),
        ("topk(3, sum by (route) (rate(http_requests_total[5m])))", "http_requests_total"),
        ("max_over_time(queue_depth[10m:1m])", "queue_depth"),
        ("-node_temperature_celsius", "node_temperature_celsius"),
        ("vector(1)", "vector(1)"),
        ('vector(scalar(up{job="api"} == 0))', 'vector(scalar(up{job="api"} == 0))'),
        ("up == 0 or vector(0)", "vector(0)"),
        ("sum(rate(http_errors_total[5m])) or vector(0) > 5", "http_errors_total"),
        ("up == 0 or kube_pod_info", "kube_pod_info"),
        ('absent(up{job="api"}) or up{job="api"}', 'up{job="api"}'),
    ],
)
def test_an_expression_that_filters_nothing_fires(expr: str, culprit: str) -> None:
    found = _culprit(expr)
    assert found is not None
    assert culprit in found


@pytest.mark.parametrize(
    "expr",
    [
        "up == 0",
        "rate(http_errors_total[5m]) > 0",
        "0 < rate(http_errors_total[5m])",
        "sum by (job) (up) == 0",
        "sum by (job) (up == 0)",
        "(up == 0) * 100",
        "100 * (up == 0)",
        "-node_temperature_celsius < -10",
        "(node_load1 > bool 4) == 1",
        "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
        'label_replace(up == 0, "service", "$1", "job", "(.*)")',
        "max_over_time((queue_depth > 1000)[10m:1m])",
        # a condition on the right of `and` filters the left
        "rate(http_errors_total[5m]) and on () maintenance_mode == 0",
        "up == 0 and on (job) kube_pod_info",
        # `unless` removes series whenever its right side has them
        "kube_deployment_spec_replicas unless on (deployment) kube_deployment_status_replicas_available",
        # absent() returns nothing while the series exist, wherever it stands
        'absent(up{job="api"})',
        'absent_over_time(up{job="api"}[10m])',
        'absent(up{job="api"}) or absent(up{job="db"})',
        'sum(absent(up{job="api"}))',
        # every branch of `or` filters
        "node_load1 > 4 or node_load5 > 2",
        "(up == 0 or vector(0)) > 0",
        # ALERTS exists only while another alert is pending or firing
        'ALERTS{alertname="HttpApiHighErrorRate", alertstate="firing"}',
        'count by (namespace) (ALERTS{severity="critical"}) > 0 or ALERTS_FOR_STATE{alertname="X"}',
        # what SLO burn-rate alerts look like
        "(max(slo:sli_error:ratio_rate5m > (14.4 * 0.001)) without (sloth_window)"
        " and max(slo:sli_error:ratio_rate1h > (14.4 * 0.001)) without (sloth_window))"
        " or (max(slo:sli_error:ratio_rate30m > (6 * 0.001)) without (sloth_window)"
        " and max(slo:sli_error:ratio_rate6h > (6 * 0.001)) without (sloth_window))",
    ],
)
def test_an_expression_that_filters_does_not_fire(expr: str) -> None:
    assert _culprit(expr) is None


def test_a_recording_rule_that_filters_is_a_condition(make_project: ProjectFactory) -> None:
    linted = lint_example(
        make_project(),
        """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("api", [
            Record("job:http_errors:burning", expr="job:http_errors:ratio_rate5m > 0.05"),
            Record("job:http_errors:burning_long", expr="job:http_errors:burning and job:http_errors:ratio_rate1h"),
            Record("job:http_errors:mixed", expr="job:http_errors:ratio_rate5m > 0.05"),
            Record("job:http_errors:mixed", expr="job:http_errors:ratio_rate1h"),
            Alert("ApiBurning", expr="job:http_errors:burning_long", for_="5m", severity="critical"),
            Alert("ApiMixed", expr="job:http_errors:mixed", for_="5m", severity="critical"),
        ])
        """,
    )
    found = [f for f in linted.findings if f["check"] == CHECK]
    assert [f["line"] for f in found] == [9], found
    assert "job:http_errors:mixed" in str(found[0]["message"])


def test_a_watchdog_is_told_to_say_why(make_project: ProjectFactory) -> None:
    linted = lint_example(
        make_project(),
        """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("meta", [
            Alert(
                "Watchdog",
                expr="vector(1)",
                severity="info",
            ),
        ])
        """,
    )
    found = [f for f in linted.findings if f["check"] == CHECK]
    assert [f["line"] for f in found] == [6], found
    assert "vector(1) returns a series at every evaluation" in str(found[0]["message"])
    assert "lint_ignore" in str(found[0]["message"])
