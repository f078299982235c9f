"""WebSocket gateway: connections, connection errors, message throughput and latency.

Metrics (instrumented by the gateway, labelled `job` and `instance`):
- `websocket_connections_active` gauge
- `websocket_connections_opened_total`, `websocket_reconnections_total` counters
- `websocket_connection_errors_total{reason}` counter
- `websocket_messages_total{direction, type}` counter
- `websocket_message_latency_seconds` histogram (`_bucket{le}`, `_sum`, `_count`)
"""

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "realtime"}

websocket_records = RuleGroup(
    "websocket-gateway-records",
    rules=[
        Record("job:websocket_connections_active:sum", expr="sum by (job) (websocket_connections_active)"),
        Record(
            "job:websocket_connections_opened:rate5m",
            expr="sum by (job) (rate(websocket_connections_opened_total[5m]))",
        ),
        Record(
            "job_reason:websocket_connection_errors:rate5m",
            expr="sum by (job, reason) (rate(websocket_connection_errors_total[5m]))",
        ),
        Record(
            "job:websocket_reconnections:rate5m",
            expr="sum by (job) (rate(websocket_reconnections_total[5m]))",
        ),
        Record(
            "job_direction:websocket_messages:rate5m",
            expr="sum by (job, direction) (rate(websocket_messages_total[5m]))",
        ),
        Record(
            "job:websocket_message_latency_seconds:p99_5m",
            expr="histogram_quantile(0.99, sum by (job, le) (rate(websocket_message_latency_seconds_bucket[5m])))",
        ),
    ],
)

websocket_alerts = RuleGroup(
    "websocket-gateway-alerts",
    rules=[
        Alert(
            "WebSocketConnectionErrorsHigh",
            expr="""
                job_reason:websocket_connection_errors:rate5m
                  / on (job) group_left job:websocket_connections_opened:rate5m
                > 0.05
                  and on (job) job:websocket_connections_opened:rate5m > 0.1
            """,
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.job }}: connection errors ({{ $labels.reason }}) above 5% of new connections",
            description=(
                "{{ $labels.job }} records {{ $value | humanizePercentage }} connection errors "
                "with reason {{ $labels.reason }} per connection opened."
            ),
            runbook_url="https://runbooks.example.com/WebSocketConnectionErrorsHigh",
        ),
        Alert(
            "WebSocketConnectionsDropped",
            expr="""
                job:websocket_connections_active:sum < 0.5 * (job:websocket_connections_active:sum offset 10m)
                  and on (job) (job:websocket_connections_active:sum offset 10m) > 100
            """,
            for_="2m",
            severity="critical",
            labels=_TEAM,
            summary="{{ $labels.job }} lost more than half of its connections in 10 minutes",
            description=(
                "{{ $labels.job }} holds {{ $value | humanize }} connections, under half of what it held "
                "10 minutes ago: a gateway restart, a load balancer or a network problem is disconnecting clients."
            ),
            runbook_url="https://runbooks.example.com/WebSocketConnectionsDropped",
        ),
        Alert(
            "WebSocketReconnectionStorm",
            expr="""
                job:websocket_reconnections:rate5m / job:websocket_connections_opened:rate5m > 0.5
                  and on (job) job:websocket_connections_opened:rate5m > 1
            """,
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.job }}: most new connections are reconnections",
            description=(
                "{{ $value | humanizePercentage }} of the connections opened on {{ $labels.job }} are "
                "reconnections: clients are being dropped and come back."
            ),
            runbook_url="https://runbooks.example.com/WebSocketReconnectionStorm",
        ),
        Alert(
            "WebSocketMessageLatencyHigh",
            expr="job:websocket_message_latency_seconds:p99_5m > 0.5",
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.job }} p99 message latency above 500ms",
            description=(
                "The 99th percentile of message latency on {{ $labels.job }} is {{ $value | humanizeDuration }}."
            ),
            runbook_url="https://runbooks.example.com/WebSocketMessageLatencyHigh",
        ),
        Alert(
            "WebSocketGatewayStalled",
            expr="""
                job:websocket_connections_active:sum > 100
                  and on (job) sum by (job) (job_direction:websocket_messages:rate5m) == 0
            """,
            for_="10m",
            severity="critical",
            labels=_TEAM,
            summary="{{ $labels.job }} holds connections but moves no messages",
            description=(
                "{{ $labels.job }} has {{ $value | humanize }} open connections and has not sent or received "
                "a message for 10 minutes."
            ),
            runbook_url="https://runbooks.example.com/WebSocketGatewayStalled",
        ),
    ],
)
