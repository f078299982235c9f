"""HTTP API overview: the RED method per route, plus status codes and the slowest routes."""

from grafanalib.core import Dashboard, Target, Templating, TimeSeries

from compiler.dsl.dashboards import DATASOURCE, datasource_variable, label_variable, red_row

grafana_folder = "services"

SELECTOR = 'job="$job", instance=~"$instance"'

http_api = Dashboard(
    title="HTTP API overview",
    uid="http-api-overview",
    description="Requests, errors and latency of the HTTP API (http_requests_total, request duration histogram).",
    tags=["http", "red"],
    refresh="1m",
    templating=Templating(
        [
            datasource_variable(),
            label_variable("job", "http_requests_total"),
            label_variable("instance", 'http_requests_total{job="$job"}', multi=True),
        ]
    ),
    panels=[
        red_row("HTTP API", SELECTOR),
        TimeSeries(
            title="Responses by status code",
            dataSource=DATASOURCE,
            unit="reqps",
            span=6,
            stacking={"mode": "normal", "group": "A"},
            fillOpacity=30,
            targets=[
                Target(
                    expr=f"sum by (code) (rate(http_requests_total{{{SELECTOR}}}[$__rate_interval]))",
                    legendFormat="{{code}}",
                )
            ],
        ),
        TimeSeries(
            title="p99 latency by route (top 5)",
            dataSource=DATASOURCE,
            unit="s",
            span=6,
            targets=[
                Target(
                    expr="topk(5, histogram_quantile(0.99, sum by (route, le) ("
                    f"rate(http_request_duration_seconds_bucket{{{SELECTOR}}}[$__rate_interval]))))",
                    legendFormat="{{route}}",
                )
            ],
        ),
    ],
)
