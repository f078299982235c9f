"""WebSocket gateway: connections, connection errors, message throughput and latency.

Metrics (instrumented by the gateway, labelled `job` and `instance`):
- `websocket_connections_active` gauge
- `websocket_connections_opened_total`, `websocket_reconnections_total` counters
- `websocket_connection_errors_total{reason}` counter
- `websocket_messages_total{direction, type}` counter
- `websocket_message_latency_seconds` histogram (`_bucket{le}`, `_sum`, `_count`)
"""

from collections.abc import Mapping

from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, Series, counter, gauge, histogram

_TEAM = {"team": "realtime"}

# Test fixtures: the gateway runs as job "websocket-gateway" on two instances; helpers split rates and counts
# evenly between them.
_JOB = "websocket-gateway"
_INSTANCES = ("10.0.2.21:8081", "10.0.2.22:8081")
_LE = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


def _target(instance: str) -> str:
    return f'job="{_JOB}", instance="{instance}"'


def _active(connections: float, *, changes: Mapping[str, float] | None = None) -> list[Series]:
    """`websocket_connections_active` holding `connections` in all, then each value of `changes`."""
    halved = {at: value / 2 for at, value in (changes or {}).items()}
    return [
        gauge(f"websocket_connections_active{{{_target(instance)}}}", connections / 2, changes=halved)
        for instance in _INSTANCES
    ]


def _connects(opened: float, *, reconnections: float = 0, errors: Mapping[str, float] | None = None) -> list[Series]:
    """Connections opened per second, how many of them are reconnections, and failed attempts per `reason`."""
    series = []
    for instance in _INSTANCES:
        series.append(counter(f"websocket_connections_opened_total{{{_target(instance)}}}", opened / 2))
        series.append(counter(f"websocket_reconnections_total{{{_target(instance)}}}", reconnections / 2))
        for reason, rate in (errors or {}).items():
            selector = f'websocket_connection_errors_total{{{_target(instance)}, reason="{reason}"}}'
            series.append(counter(selector, rate / 2))
    return series


def _messages(per_second: float, *, changes: Mapping[str, float] | None = None) -> list[Series]:
    """`websocket_messages_total` at `per_second` in all, half inbound, half outbound."""
    quartered = {at: rate / 4 for at, rate in (changes or {}).items()}
    return [
        counter(
            f'websocket_messages_total{{{_target(instance)}, direction="{direction}", type="text"}}',
            per_second / 4,
            changes=quartered,
        )
        for instance in _INSTANCES
        for direction in ("inbound", "outbound")
    ]


def _latency(cumulative: Mapping[float, float]) -> list[Series]:
    """`websocket_message_latency_seconds`: messages/s at or below some bounds, the largest being the total,
    e.g. `{0.1: 95, 0.5: 98, 1: 100}`; the other buckets (1ms .. 5s) are filled in from it."""
    buckets: dict[float | str, float] = {
        le: max((rate for bound, rate in cumulative.items() if bound <= le), default=0.0) for le in _LE
    }
    buckets["+Inf"] = max(cumulative.values())
    series = []
    for instance in _INSTANCES:
        labels = {"job": _JOB, "instance": instance}
        series += histogram(
            "websocket_message_latency_seconds", {le: n / 2 for le, n in buckets.items()}, labels=labels
        )
    return series


websocket_records = RuleGroup(
    "websocket-gateway-records",
    rules=[
        Record(
            "job:websocket_connections_active:sum",
            expr="sum by (job) (websocket_connections_active)",
            tests=[
                RuleTest(
                    "adds up the instances",
                    series=[_active(1200, changes={"10m": 400})],
                    expect=[
                        Evaluates(at="5m", value=1200, labels={"job": _JOB}),
                        Evaluates(at="15m", value=400, labels={"job": _JOB}),
                    ],
                ),
            ],
        ),
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
            tests=[
                RuleTest(
                    "interpolates inside the bucket holding the 99th percentile",
                    # 98 of 100 messages/s arrive within 0.5s, the last 2 within 0.5s..1s.
                    series=[_latency({0.1: 95, 0.5: 98, 1: 100})],
                    expect=[Evaluates(at="10m30s", value=0.75, labels={"job": _JOB})],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires for the reason failing 10% of connections, not the one failing 1%",
                    series=[_connects(10, errors={"tls_handshake": 1, "timeout": 0.1})],
                    expect=[
                        Quiet(at="6m"),  # pending
                        Fires(
                            at="15m",
                            labels={"job": _JOB, "reason": "tls_handshake"},
                            annotations={
                                "description": (
                                    "websocket-gateway records 10% connection errors with reason tls_handshake "
                                    "per connection opened."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 4% errors",
                    series=[_connects(10, errors={"tls_handshake": 0.4})],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet when half the attempts fail but under 0.1 connections/s open",
                    series=[_connects(0.08, errors={"tls_handshake": 0.04})],
                    expect=[Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when one instance restarts and the other loses clients",
                    series=[
                        gauge(f"websocket_connections_active{{{_target('10.0.2.21:8081')}}}", 600, changes={"20m": 0}),
                        gauge(
                            f"websocket_connections_active{{{_target('10.0.2.22:8081')}}}", 600, changes={"20m": 400}
                        ),
                    ],
                    expect=[
                        Quiet(at="19m"),
                        Quiet(at="21m"),  # pending
                        Fires(
                            at="24m",
                            labels={"job": _JOB},
                            annotations={
                                "description": (
                                    "websocket-gateway holds 400 connections, under half of what it held 10 minutes "
                                    "ago: a gateway restart, a load balancer or a network problem is disconnecting "
                                    "clients."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when connections fall to 55%",
                    series=[_active(1200, changes={"20m": 660})],
                    expect=[Quiet(at="23m"), Quiet(at="28m")],
                ),
                RuleTest(
                    "quiet when a gateway with under 100 connections loses them",
                    series=[_active(90, changes={"20m": 10})],
                    expect=[Quiet(at="23m"), Quiet(at="28m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 60% of new connections are reconnections",
                    series=[_connects(10, reconnections=6)],
                    expect=[
                        Quiet(at="6m"),  # pending
                        Fires(
                            at="15m",
                            labels={"job": _JOB},
                            annotations={
                                "description": (
                                    "60% of the connections opened on websocket-gateway are reconnections: "
                                    "clients are being dropped and come back."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 45% reconnections", series=[_connects(10, reconnections=4.5)], expect=[Quiet(at="30m")]
                ),
                RuleTest(
                    "quiet when most connections are reconnections but under 1/s open",
                    series=[_connects(0.8, reconnections=0.6)],
                    expect=[Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when p99 message latency is 750ms",
                    series=[_latency({0.1: 95, 0.5: 98, 1: 100})],
                    expect=[
                        Quiet(at="6m"),  # pending
                        Fires(
                            at="15m",
                            labels={"job": _JOB},
                            annotations={
                                "description": "The 99th percentile of message latency on websocket-gateway is 750ms."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet with p99 message latency just under 500ms",
                    series=[_latency({0.1: 95, 0.25: 97, 0.5: 99.2, 1: 100})],
                    expect=[Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 500 connections stay open and messages stop at minute 10",
                    series=[_active(500), _messages(200, changes={"10m": 0})],
                    expect=[
                        Quiet(at="9m"),  # messages still flowing
                        Fires(
                            at="30m",
                            labels={"job": _JOB},
                            annotations={
                                "description": (
                                    "websocket-gateway has 500 open connections and has not sent or received "
                                    "a message for 10 minutes."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet while a few messages still flow",
                    series=[_active(500), _messages(200, changes={"10m": 0.1})],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet when only 90 idle connections are open",
                    series=[_active(90), _messages(200, changes={"10m": 0})],
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
    ],
)
