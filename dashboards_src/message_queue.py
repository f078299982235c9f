"""Message queue: depth, consumer lag, throughput, failures and delivery latency per queue."""

from grafanalib.core import Dashboard, Target, Templating, TimeSeries

from compiler.dsl.dashboards import DATASOURCE, datasource_variable, label_variable

grafana_folder = "services"

SELECTOR = 'job="$job", queue=~"$queue"'

message_queue = Dashboard(
    title="Message queue",
    uid="message-queue",
    tags=["queue"],
    refresh="1m",
    templating=Templating(
        [
            datasource_variable(),
            label_variable("job", "queue_depth"),
            label_variable("queue", 'queue_depth{job="$job"}', multi=True),
        ]
    ),
    panels=[
        TimeSeries(
            title="Queue depth",
            dataSource=DATASOURCE,
            unit="short",
            span=6,
            targets=[Target(expr=f"sum by (queue) (queue_depth{{{SELECTOR}}})", legendFormat="{{queue}}")],
        ),
        TimeSeries(
            title="Consumer lag",
            dataSource=DATASOURCE,
            unit="s",
            span=6,
            targets=[
                Target(
                    expr=f"max by (queue, consumer_group) (queue_consumer_lag_seconds{{{SELECTOR}}})",
                    legendFormat="{{queue}} / {{consumer_group}}",
                )
            ],
        ),
        TimeSeries(
            title="Published and delivered",
            dataSource=DATASOURCE,
            unit="mps",
            span=6,
            targets=[
                Target(
                    expr=f"sum by (queue) (rate(queue_messages_published_total{{{SELECTOR}}}[$__rate_interval]))",
                    legendFormat="published {{queue}}",
                ),
                Target(
                    expr=f"sum by (queue) (rate(queue_messages_delivered_total{{{SELECTOR}}}[$__rate_interval]))",
                    legendFormat="delivered {{queue}}",
                ),
            ],
        ),
        TimeSeries(
            title="Failed messages by reason",
            dataSource=DATASOURCE,
            unit="mps",
            span=6,
            targets=[
                Target(
                    expr=f"sum by (queue, reason) (rate(queue_messages_failed_total{{{SELECTOR}}}[$__rate_interval]))",
                    legendFormat="{{queue}}: {{reason}}",
                )
            ],
        ),
        TimeSeries(
            title="Delivery latency p99",
            dataSource=DATASOURCE,
            unit="s",
            span=12,
            targets=[
                Target(
                    expr="histogram_quantile(0.99, sum by (queue, le) "
                    f"(rate(queue_delivery_latency_seconds_bucket{{{SELECTOR}}}[$__rate_interval])))",
                    legendFormat="{{queue}}",
                )
            ],
        ),
    ],
)
