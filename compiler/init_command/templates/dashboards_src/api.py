"""The example service's dashboard: the RED method (rate, errors, duration) and its SLO's error budget.

A module of dashboards_src/ keeps grafanalib `Dashboard`s; the build checks every query (PromQL parses, every
`$variable` is defined, every recorded series is produced by this build).
"""

from grafanalib.core import Dashboard, Templating

from compiler.dsl.dashboards import datasource_variable, label_variable, red_row, slo_error_budget_panel

grafana_folder = "services"

api = Dashboard(
    title="API overview",
    uid="api-overview",
    description="Requests, errors and latency of the API, and what is left of its availability error budget.",
    tags=["api", "red"],
    refresh="1m",
    templating=Templating(
        [
            datasource_variable(),
            label_variable("job", "http_requests_total"),
            label_variable("instance", 'http_requests_total{job="$job"}', multi=True),
        ]
    ),
    panels=[
        slo_error_budget_panel("api", "availability"),
        red_row("API", 'job="$job", instance=~"$instance"'),
    ],
)
