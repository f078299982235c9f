"""`alert/template-label`: which labels a template reads, which labels a query's result keeps, and the
templates that only look like they read a missing label."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from compiler.dsl import Alert, Metric, RuleGroup
from compiler.lint.checks.alert_template_label import TemplateLabel, labels_read
from compiler.lint.subjects import LintContext, linted_rule
from compiler.load.metrics import RecordedSeries, build_catalogue
from compiler.problems import SourceLocation
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings

CATALOGUE = build_catalogue(
    [
        Metric("http_requests_total", type="counter", labels=["method", "route", "code"]),
        Metric("http_request_duration_seconds", type="histogram", labels=["route"]),
        Metric("build_info", type="gauge", labels=["version"]),
        Metric("service_owner_info", type="gauge", labels=["team"]),
    ]
)[0].with_rules(
    RecordedSeries(name, parse_expr(expr), labels, SourceLocation(Path("rules_src/records.py"), line))
    for line, (name, expr, labels) in enumerate(
        [
            ("job:http_requests:rate5m", "sum by (job) (rate(http_requests_total[5m]))", {}),
            ("job_route:http_errors:ratio_rate5m", "sum by (job, route) (rate(x_total[5m]))", {"slo": "api"}),
            ("job:undeclared:rate5m", "sum by (job) (rate(undeclared_total[5m]))", {}),
        ],
        start=1,
    )
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
        ("count by (job) (up == 0) > 1", "{{ $labels.instance }}", "instance"),
        ("sum by (job) (rate(undeclared_total[5m])) > 1", "{{ $labels.alertname | toUpper }}", "alertname"),
        # a recorded series carries what its rule keeps
        ("job:http_requests:rate5m > 1", "{{ $labels.route }}", "route"),
        ("job_route:http_errors:ratio_rate5m > 0.1", "{{ $labels.instance }}", "instance"),
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
        # labels of metrics not declared with Metric, nor recorded by the repository's rules, are unknown
        ("job:elsewhere:rate5m > 1", "{{ $labels.anything }}"),
        ("job_route:http_errors:ratio_rate5m > 0.1", "{{ $labels.route }} {{ $labels.slo }}"),
        # a label no series read can carry is promql/label-unknown's
        ('http_requests_total{code="500"} > 1', "{{ $labels.handler }}"),
        ("job:http_requests:rate5m > 1", "{{ $labels.handler }}"),
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
        summary="{{ $labels.instance }} of {{ $labels.job }}",
        description="{{ $labels.team }}",  # no series read carries team: promql/label-unknown's
    )
    assert messages == [
        "annotation summary reads $labels.instance, but the query's result carries only job: keep instance in the "
        "query or drop it from the template",
        "label service reads $labels.route, but the query's result carries only job: keep route in the query or "
        "drop it from the template",
    ]


def test_a_static_label_read_by_a_template_is_named() -> None:
    messages = _reports("sum by (job) (rate(undeclared_total[5m])) > 1", label_team="api", summary="{{ $labels.team }}")
    assert messages == [
        "annotation summary reads $labels.team, but the query's result carries only job (templates see the "
        "query's labels, not the rule's own): keep team in the query or drop it from the template"
    ]


def test_an_alert_on_a_recorded_series_reads_what_the_recording_rule_keeps() -> None:
    assert _reports("job:undeclared:rate5m > 1", summary="{{ $labels.job }}") == []
    assert _reports("job:undeclared:rate5m > 1", summary="{{ $labels.instance }}") == [
        "annotation summary reads $labels.instance, but the query's result carries only job: keep instance in the "
        "query or drop it from the template"
    ]
