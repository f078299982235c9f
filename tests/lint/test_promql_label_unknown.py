"""`promql/label-unknown`: labels no series a query reads can carry, in matchers, groupings, joins and an
alert's templates; what other label checks report instead, and what dashboards' variables stand for."""

from __future__ import annotations

import pytest

from compiler.lint.checks.promql_label_unknown import LabelUnknown
from tests.lint.label_queries import METRICS, reports


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        (
            'http_requests_total{status="500"}',
            ["http_requests_total has no label status (it has code, instance, job, method, route)"],
        ),
        ('http_requests_total{route!=""}', []),
        ('http_requests_total{tenant=""}', []),  # asks for the label to be absent
        ('http_requests_total{tenant=~""}', []),
        ('http_requests_total{job="api", instance=~"10.*", code=~"5.."}', []),
        ('http_request_duration_seconds_bucket{le="0.5"}', []),
        (
            'http_request_duration_seconds_sum{le="0.5"}',
            ["http_request_duration_seconds_sum has no label le (it has instance, job, route)"],
        ),
        ('rpc_duration_seconds{quantile="0.99"}', []),
        ('undeclared_total{anything="x"}', []),
        ('up{cluster="eu"}', ["up has no label cluster (it has instance, job)"]),
        ('ALERTS{alertname="x"}', []),
        ("sum by (handler) (rate(http_requests_total[5m]))", ["sum by (handler)"]),
        ("sum without (handler) (rate(http_requests_total[5m]))", ["sum without (handler)"]),
        ("sum by (route, le) (rate(http_request_duration_seconds_bucket[5m]))", []),
        ("sum by (route) (rate(undeclared_total[5m]))", []),
        ("sum by (route) (sum by (job) (rate(http_requests_total[5m])))", []),  # removed, not unknown
        ("sum by (job, code) (label_replace(rate(undeclared_total[5m]), 'code', '$1', 'status', '(.*)'))", []),
        ("sum by (service) (label_replace(rate(http_requests_total[5m]), 'service', '$1', 'job', '(.*)'))", []),
        ("sum by (target) (label_join(up, 'target', '/', 'job', 'instance'))", []),
        ("count by (version) (count_values('version', build_info))", []),
        ("rate(http_requests_total[5m]) / ignoring (cod) rate(http_requests_total[5m])", ["ignoring (cod)"]),
        ("sum by (job) (rate(http_requests_total[5m])) / on (job, tenant) sum by (job) (up)", ["on (job, tenant)"]),
        ("sum by (job) (rate(http_requests_total[5m])) / on (job, instance) sum by (job) (up)", []),  # removed
        ("rate(http_requests_total[5m]) / on (job, tenant) rate(undeclared_total[5m])", []),
        ("rate(http_requests_total[5m]) * on (instance) group_left (nodename) up", ["group_left (nodename)"]),
        ("rate(http_requests_total[5m]) * on (instance) group_left (nodename) node_uname_info", []),
        ("up * on (job) group_left (version) sum by (job) (build_info)", []),  # removed, not unknown
        # a recorded series: what the series its rule reads can carry
        ('job:http_requests:rate5m{handler="/x"}', ["job:http_requests:rate5m has no label handler"]),
        ('job:http_requests:rate5m{route="/x"}', []),  # its rule removes route: promql/label-missing
        ("sum by (job, handler) (job:http_requests:rate5m)", ["sum by (job, handler)"]),
        ('job_route:http_errors:ratio_rate5m{slo="availability"}', []),
        ('job:undeclared:rate5m{anything="x"}', []),
        ('job:elsewhere:rate5m{anything="x"}', []),
    ],
)
def test_label_unknown(expr: str, found: list[str]) -> None:
    messages = reports(LabelUnknown(), expr)
    assert len(messages) == len(found), messages
    for text, message in zip(found, messages, strict=True):
        assert message.startswith(text), message


def test_the_message_says_where_the_label_would_be_declared() -> None:
    [declared] = reports(LabelUnknown(), 'http_requests_total{status="500"}')
    assert declared.endswith(f"fix the name, or declare the label on its Metric at {METRICS[0].location}")
    [recorded] = reports(LabelUnknown(), 'job:http_requests:rate5m{handler="/x"}')
    assert "its recording rule at rules_src/records.py:1" in recorded
    [target] = reports(LabelUnknown(), 'up{cluster="eu"}')
    assert "[tool.moncc.lint] target_labels" in target
    [grouped] = reports(LabelUnknown(), "sum by (handler) (rate(http_requests_total[5m]))")
    assert grouped == (
        "sum by (handler): no series it aggregates can carry handler (they carry code, instance, job, method, route)"
    )


def test_target_labels_are_carried_by_every_declared_metric() -> None:
    expr = 'sum by (cluster) (rate(http_requests_total{cluster="eu"}[5m])) / on (cluster) sum by (cluster) (up)'
    assert reports(LabelUnknown(), expr)[1:] == [
        "sum by (cluster): no series it aggregates can carry cluster (they carry instance, job)"
    ]
    assert reports(LabelUnknown(), expr, target_labels=("cluster",)) == []


@pytest.mark.parametrize(
    ("expr", "template", "found"),
    [
        (
            "sum by (job) (rate(http_requests_total[5m])) > 1",
            "{{ $labels.handler }}",
            ["annotation summary reads $labels.handler"],
        ),
        ("sum by (job) (rate(http_requests_total[5m])) > 1", "{{ $labels.route }}", []),  # alert/template-label's
        ("sum by (job) (rate(undeclared_total[5m])) > 1", "{{ $labels.handler }}", []),
        ("job:http_requests:rate5m > 1", "{{ $labels.handler }}", ["annotation summary reads $labels.handler"]),
        ("job:http_requests:rate5m > 1", "{{ $labels.route }}", []),
        ("up == 0", "{{ $labels.alertname }} {{ $labels.__name__ }}", ["annotation summary reads $labels.alertname"]),
        ("label_replace(up, 'service', '$1', 'job', '(.*)') == 0", "{{ $labels.service }}", []),
    ],
)
def test_templates_reading_a_label_no_series_carries(expr: str, template: str, found: list[str]) -> None:
    messages = reports(LabelUnknown(), expr, templates={"summary": template})
    assert [message.split(",")[0] for message in messages] == found


@pytest.mark.parametrize(
    "expr",
    [
        "sum by ($group) (rate(http_requests_total[$__rate_interval]))",
        "sum by (${group}) (sum by (job, route) (rate(http_requests_total[5m])))",
        'sum by (route) (rate(http_requests_total{route=~"$route"}[$__rate_interval]))',
        "sum(rate(http_requests_total[5m])) / on ($on) sum(rate(http_requests_total[5m]))",
        "sum by (job) (rate($metric[5m]))",
    ],
)
def test_dashboard_variables_stand_for_any_label(expr: str) -> None:
    assert reports(LabelUnknown(), expr, dashboard=True) == []
