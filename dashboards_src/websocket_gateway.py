"""WebSocket gateway: connections, errors, message throughput and delivery latency."""

from grafanalib.core import Dashboard, RowPanel, Stat, Target, Templating, TimeSeries

from compiler.dsl.dashboards import DATASOURCE, datasource_variable, label_variable

grafana_folder = "services"

SELECTOR = 'job="$job", instance=~"$instance"'


def _rate(metric: str, by: str = "") -> str:
    grouping = f" by ({by})" if by else ""
    return f"sum{grouping} (rate({metric}{{{SELECTOR}}}[$__rate_interval]))"


websocket_gateway = Dashboard(
    title="WebSocket gateway",
    uid="websocket-gateway",
    tags=["websocket"],
    refresh="1m",
    templating=Templating(
        [
            datasource_variable(),
            label_variable("job", "websocket_connections_active"),
            label_variable("instance", 'websocket_connections_active{job="$job"}', multi=True),
        ]
    ),
    panels=[
        RowPanel(title="Connections"),
        Stat(
            title="Active connections",
            dataSource=DATASOURCE,
            reduceCalc="lastNotNull",
            span=3,
            targets=[Target(expr=f"sum(websocket_connections_active{{{SELECTOR}}})")],
        ),
        TimeSeries(
            title="Connections opened and reconnections",
            dataSource=DATASOURCE,
            unit="cps",
            span=5,
            targets=[
                Target(expr=_rate("websocket_connections_opened_total"), legendFormat="opened"),
                Target(expr=_rate("websocket_reconnections_total"), legendFormat="reconnections"),
            ],
        ),
        TimeSeries(
            title="Connection errors by reason",
            dataSource=DATASOURCE,
            unit="cps",
            span=4,
            targets=[Target(expr=_rate("websocket_connection_errors_total", "reason"), legendFormat="{{reason}}")],
        ),
        RowPanel(title="Messages"),
        TimeSeries(
            title="Messages by direction and type",
            dataSource=DATASOURCE,
            unit="mps",
            span=6,
            targets=[
                Target(
                    expr=_rate("websocket_messages_total", "direction, type"),
                    legendFormat="{{direction}} {{type}}",
                )
            ],
        ),
        TimeSeries(
            title="Message latency",
            dataSource=DATASOURCE,
            unit="s",
            span=6,
            targets=[
                Target(
                    expr=f"histogram_quantile({q}, {_rate('websocket_message_latency_seconds_bucket', 'le')})",
                    legendFormat=f"p{round(q * 100)}",
                )
                for q in (0.5, 0.95, 0.99)
            ],
        ),
    ],
)
