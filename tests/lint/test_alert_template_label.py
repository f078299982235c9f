"""`alert/template-label`: which labels a template reads, which labels a query's result keeps, and the
templates that only look like they read a missing label."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compiler.dsl import Alert, Metric, RuleGroup
from compiler.lint.checks.alert_template_label import TemplateLabel, labels_read
from compiler.lint.subjects import LintContext, linted_rule
from compiler.load.metrics import build_catalogue
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings

CATALOGUE, _ = build_catalogue(
    [
        Metric("http_requests_total", type="counter", labels=["method", "route", "code"]),
        Metric("http_request_duration_seconds", type="histogram", labels=["route"]),
        Metric("build_info", type="gauge", labels=["version"]),
        Metric("service_owner_info", type="gauge", labels=["team"]),
    ]
)


def _reports(expr: str, **templates: str) -> list[str]:
    """The messages about an alert on `expr` whose summary is each template (`summary=`), or a label (`label_x=`)."""
    labels = {name.removeprefix("label_"): text for name, text in templates.items() if name.startswith("label_")}
    annotations = {name: text for name, text in templates.items() if not name.startswith("label_")}
    alert = Alert("ApiBroken", expr=expr, severity="critical", labels=labels, annotations=annotations)
    rule = linted_rule(alert, RuleGroup("api", [alert]), parse_expr(alert.expr))
    context = LintContext(LintSettings(), CATALOGUE, timedelta(minutes=1))
    return [report.message for report in TemplateLabel().check(rule, context)]


@pytest.mark.parametrize(
    ("template", "labels"),
    [
        ("{{ $labels.job }} on {{ $labels.instance }}", ["job", "instance"]),
        ("{{$labels.job|toUpper}}", ["job"]),
        ("{{- $labels.job -}}", ["job"]),
        ('{{ index $labels "route" }}', ["route"]),
        ("{{ .Labels.route }} and {{ $.Labels.code }}", ["route", "code"]),
        ('{{ if eq $labels.code "500" }}server{{ end }}', ["code"]),
        ("{{ with $labels.route }}{{ . }}{{ end }}", ["route"]),
        # `.` is a query result inside range and with: `.Labels` is not the alert's, `$labels` still is
        (
            '{{ range query "up" }}{{ .Labels.instance }} {{ $labels.job }}{{ end }}{{ .Labels.route }}',
            ["job", "route"],
        ),
        ('{{ with query "up" }}{{ . | first | label "instance" }}{{ end }}', []),
        # text outside actions, strings inside them, and other variables are not label reads
        ("see $labels.job", []),
        ('{{ "$labels.job" }}', []),
        ("{{ $externalLabels.cluster }} {{ $value | humanize }} {{ $x.Labels.pod }}", []),
        ('{{ "}}" }} {{ $labels.job }}', ["job"]),
    ],
)
def test_labels_read(template: str, labels: list[str]) -> None:
    assert list(labels_read(template)) == labels


@pytest.mark.parametrize(
    ("expr", "template", "label"),
    [
        ("sum by (job) (rate(http_requests_total[5m])) > 1", "{{ $labels.instance }}", "instance"),
        ("sum(rate(http_requests_total[5m])) > 1", "{{ $labels.job }}", "job"),
        ("sum without (instance) (rate(http_requests_total[5m])) > 1", "{{ .Labels.instance }}", "instance"),
        ("job:errors:rate5m / on (job) job:requests:rate5m > 0.05", '{{ index $labels "route" }}', "route"),
        ("histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m])) > 1", "{{ $labels.le }}", "le"),
        ('absent(up{job="api"})', "{{ $labels.instance }}", "instance"),
        ('absent(up{job="api", job=~"a.*"})', "{{ $labels.job }}", "job"),
        ("count by (job) (up == 0) > 1", "{{ $labels.alertname }}", "alertname"),
        ('http_requests_total{code="500"} > 1', "{{ $labels.handler | toUpper }}", "handler"),
        # group_left copies the label from the one side, and removes it when the one side has none
        (
            "sum by (job, version) (build_info) * on (job) group_left (version) sum by (job) (up) > 0",
            "{{ $labels.version }}",
            "version",
        ),
    ],
)
def test_a_label_the_result_cannot_carry_is_reported(expr: str, template: str, label: str) -> None:
    messages = _reports(expr, summary=template)
    assert len(messages) == 1, messages
    assert f"annotation summary reads $labels.{label}" in messages[0]


@pytest.mark.parametrize(
    ("expr", "template"),
    [
        # labels of metrics not declared with Metric are unknown
        ("job:http_requests:rate5m > 1", "{{ $labels.anything }}"),
        ("rate(undeclared_total[5m]) > 1", "{{ $labels.anything }}"),
        ("sum by (job, route) (rate(http_requests_total[5m])) > 1", "{{ $labels.route }}"),
        ("rate(http_requests_total[5m]) > 1", "{{ $labels.instance }} {{ $labels.route }} {{ $labels.code }}"),
        ("topk(3, sum by (job, route) (rate(http_requests_total[5m]))) > 1", "{{ $labels.route }}"),
        ('label_replace(sum by (job) (up), "service", "$1", "job", "(.*)") == 0', "{{ $labels.service }}"),
        ('count_values("version", build_info) > 1', "{{ $labels.version }}"),
        ('absent(up{job="api"})', "{{ $labels.job }}"),
        ("sum by (job) (up) == 0 or sum by (route) (rate(http_requests_total[5m])) > 1", "{{ $labels.route }}"),
        (
            "sum by (job) (up) == 0 and on (job) sum by (job, route) (rate(http_requests_total[5m]))",
            "{{ $labels.job }}",
        ),
        (
            "sum by (job, route) (rate(http_requests_total[5m])) / on (job) group_left sum by (job) (up) > 1",
            "{{ $labels.route }}",
        ),
        (
            "sum by (job) (up) * on (job) group_left (team) service_owner_info > 0",
            "{{ $labels.team }}",
        ),
        ("sum by (job) (up) == 0", '{{ range query "up" }}{{ .Labels.instance }}{{ end }}'),
        ("sum by (job) (up) == 0", "{{ $externalLabels.cluster }}: {{ $value }}"),
    ],
)
def test_a_label_the_result_may_carry_is_not_reported(expr: str, template: str) -> None:
    assert _reports(expr, summary=template) == []


def test_templated_labels_are_checked_and_static_ones_are_not_visible() -> None:
    messages = _reports(
        "sum by (job) (rate(http_requests_total[5m])) > 1",
        label_team="api",
        label_service="{{ $labels.route }}",
        summary="{{ $labels.team }} owns {{ $labels.job }}",
    )
    assert len(messages) == 2, messages
    assert messages[0].startswith("annotation summary reads $labels.team")
    assert "not the rule's own" in messages[0]
    assert messages[1].startswith("label service reads $labels.route")
