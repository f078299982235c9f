"""`record/name-format`: the names it accepts (Sloth's, kube-prometheus' own style) and the claims it checks."""

from __future__ import annotations

import pytest

from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "record/name-format"


def lines_for(make_project: ProjectFactory, name: str, expr: str) -> list[int]:
    module = f"""
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("g", [Record({name!r}, expr={expr!r})])
    """
    return lint_example(make_project(), module).lines_of(CHECK)


@pytest.mark.parametrize(
    ("name", "expr"),
    [
        (
            "slo:sli_error:ratio_rate5m",
            'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
        ),
        ("slo:sli_error:ratio_rate30d", "sum_over_time(slo:sli_error:ratio_rate5m[30d]) / 8640"),
        ("node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate", "sum(irate(x_total[5m]))"),
        ("instance:node_memory_MemAvailable_bytes:sum", "sum by (instance) (node_memory_MemAvailable_bytes)"),
        (":node_memory_MemAvailable_bytes:sum", "sum(node_memory_MemAvailable_bytes)"),
        (
            "node_namespace_pod:kube_pod_info:",
            "topk by (namespace, pod) (1, max by (node, namespace, pod) (kube_pod_info))",
        ),
        ("job:up:", "max by (job) (up)"),
        ("job:http_requests:rate1h", "sum by (job) (rate(http_requests_total[60m]))"),
        ("job:http_requests:rate5m", "sum by (job) (instance:http_requests:rate5m)"),
        ("job:http_requests:increase1h", "sum by (job) (increase(http_requests_total[1h]))"),
        ("job:http_requests:rate5m", "sum by (job) (max_over_time(rate(http_requests_total[1m])[5m:1m]))"),
        ("job:http_request_duration_seconds:p99_5m", "histogram_quantile(0.99, sum by (job, le) (x_bucket))"),
    ],
)
def test_conventional_names_pass(make_project: ProjectFactory, name: str, expr: str) -> None:
    assert lines_for(make_project, name, expr) == []


@pytest.mark.parametrize(
    ("name", "expr"),
    [
        ("job::rate5m", "sum by (job) (rate(http_requests_total[5m]))"),
        ("job:http_requests:Sum", "sum by (job) (http_requests_total)"),
        ("apiserver_request:burnrate1h", "sum(rate(apiserver_request_total[1h]))"),
        ("cluster:namespace:pod_cpu:active:requests", "sum(kube_pod_container_resource_requests)"),
        ("Job:http_requests:sum", "sum by (Job) (http_requests_total)"),
        ("job:http_requests:rate_", "sum by (job) (http_requests_total)"),
        ("job:http_requests:rate5m", "sum by (job) (http_requests_total)"),
        ("job:http_requests:ratio_irate30s", "sum by (job) (irate(http_requests_total[1m]))"),
    ],
)
def test_unconventional_names_and_false_claims_are_reported(make_project: ProjectFactory, name: str, expr: str) -> None:
    assert lines_for(make_project, name, expr) == [3]
