"""The promql/* checks through `moncc lint` on whole projects: SLO-generated rules and dashboards with
`$variables` stay clean against a catalogue, and a dashboard's finding points at its panel."""

from __future__ import annotations

import json

from tests.conftest import Project, ProjectFactory, source

CATALOGUE = """
    from compiler.dsl import Metric

    requests = Metric("http_requests_total", type="counter", labels=["method", "route", "code"])
    latency = Metric("http_request_duration_seconds", type="histogram", labels=["method", "route"])
    failed = Metric("queue_messages_failed_total", type="counter", labels=["queue", "reason"])
    delivered = Metric("queue_messages_delivered_total", type="counter", labels=["queue"])
    depth = Metric("queue_depth", type="gauge", labels=["queue"])
"""

SLOS = """
    from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier

    def _alerting(name: str) -> Alerting:
        return Alerting(
            name=name,
            labels={"team": "api"},
            runbook_url=f"https://runbooks.example.com/{name}",
            page=Tier(severity="critical"),
            ticket=Tier(severity="warning"),
        )

    availability = SLO(
        service="api",
        name="availability",
        objective=99.9,
        description="99.9% of requests succeed.",
        sli=RatioSLI(
            errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
            total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
        ),
        alerting=_alerting("ApiAvailabilityBudgetBurn"),
    )

    latency = SLO(
        service="api",
        name="latency",
        objective=99,
        description="99% of requests within 500ms.",
        sli=LatencySLI(
            metric="http_request_duration_seconds",
            selector='job="api"',
            threshold=0.5,
            buckets=[0.1, 0.25, 0.5, 1, 2.5],
        ),
        alerting=_alerting("ApiLatencyBudgetBurn"),
    )

    delivery = SLO(
        service="pipeline",
        name="delivery",
        objective=99.5,
        description="99.5% of messages are delivered.",
        sli=ErrorRatioSLI(
            query=(
                "sum(rate(queue_messages_failed_total[{{window}}])) / ("
                "sum(rate(queue_messages_delivered_total[{{window}}])) + sum(rate(queue_messages_failed_total[{{window}}])))"
            )
        ),
        alerting=_alerting("PipelineDeliveryBudgetBurn"),
    )
"""

DASHBOARD = """
    from grafanalib.core import Dashboard, Target, Templating, TimeSeries

    from compiler.dsl.dashboards import DATASOURCE, datasource_variable, label_variable

    SELECTOR = 'job="$job", instance=~"$instance", route=~"${route:regex}"'

    api = Dashboard(
        title="API",
        uid="api",
        templating=Templating(
            [
                datasource_variable(),
                label_variable("job", "http_requests_total"),
                label_variable("instance", 'http_requests_total{job="$job"}', multi=True),
                label_variable("route", 'http_requests_total{job="$job"}', multi=True),
                label_variable("group", 'http_requests_total{job="$job"}'),
                label_variable("queue", "queue_depth", multi=True),
            ]
        ),
        panels=[
            TimeSeries(
                title="Requests by $group",
                dataSource=DATASOURCE,
                unit="reqps",
                targets=[
                    Target(expr=f"sum by ($group) (rate(http_requests_total{{{SELECTOR}}}[$__rate_interval]))"),
                    Target(expr=f"sum by (code) (increase(http_requests_total{{{SELECTOR}}}[$__range]))", refId="B"),
                ],
            ),
            TimeSeries(
                title="p99 latency by route",
                dataSource=DATASOURCE,
                unit="s",
                targets=[
                    Target(
                        expr="histogram_quantile(0.99, sum by (route, le) ("
                        f"rate(http_request_duration_seconds_bucket{{{SELECTOR}}}[$__rate_interval])))"
                    )
                ],
            ),
            TimeSeries(
                title="Queue depth",
                dataSource=DATASOURCE,
                unit="short",
                targets=[Target(expr='max by (queue) (max_over_time(queue_depth{queue=~"$queue"}[$__interval]))')],
            ),
        ],
    )
"""


def promql_findings(project: Project) -> list[dict[str, object]]:
    result = project.run("lint", "--format", "json", "--severity", "info")
    assert result.crash is None and result.exit_code in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return [finding for finding in findings if str(finding["check"]).startswith("promql/")]


def with_dashboard(project: Project, text: str) -> Project:
    folder = project.root / "dashboards_src"
    folder.mkdir(exist_ok=True)
    (folder / "api.py").write_text(source(text), encoding="utf-8")
    return project


def test_slo_rules_and_dashboards_with_variables_lint_clean(make_project: ProjectFactory) -> None:
    project = with_dashboard(make_project(metrics=CATALOGUE, slos=SLOS), DASHBOARD)
    assert promql_findings(project) == []


def test_slo_rules_lint_clean_without_a_catalogue(make_project: ProjectFactory) -> None:
    assert promql_findings(make_project(slos=SLOS)) == []


def test_a_dashboard_query_is_reported_at_its_panel(make_project: ProjectFactory) -> None:
    broken = DASHBOARD.replace('queue=~"$queue"', 'queue=~".*"')
    project = with_dashboard(make_project(metrics=CATALOGUE), broken)
    lines = source(broken).splitlines()
    assert [(finding["check"], finding["line"]) for finding in promql_findings(project)] == [
        ("promql/match-everything", lines.index('            title="Queue depth",') + 1)
    ]
