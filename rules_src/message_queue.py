"""Message queue consumer: backlog, consumer lag, failures, dead letters and delivery latency.

Metrics (labelled `job` and `instance`):
- `queue_depth{queue}` gauge: messages waiting
- `queue_consumer_lag_seconds{queue, consumer_group}` gauge: age of the oldest unconsumed message
- `queue_messages_published_total{queue}`, `queue_messages_delivered_total{queue}` counters
- `queue_messages_failed_total{queue, reason}` counter: deliveries the consumer failed to process
- `queue_messages_dead_lettered_total{queue}` counter: messages moved to the dead-letter queue
- `queue_delivery_latency_seconds` histogram (`_bucket{le}`, `_sum`, `_count`), labelled `queue`
"""

from collections.abc import Mapping

from compiler.dsl import (
    Alert,
    Evaluates,
    Fires,
    Quiet,
    Record,
    RuleGroup,
    RuleTest,
    Series,
    counter,
    gauge,
    histogram,
    raw,
    step,
)

_TEAM = {"team": "messaging"}

# Test fixtures: the broker's exporter runs as job "queue-broker" on two instances. Counters are split evenly
# between them; gauges of a queue come from the instance leading it.
_JOB = "queue-broker"
_INSTANCES = ("10.0.3.31:9419", "10.0.3.32:9419")
_LEADER = f'job="{_JOB}", instance="{_INSTANCES[0]}"'
_LE = (0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60)


def _lag(queue: str, group: str) -> str:
    return f'queue_consumer_lag_seconds{{{_LEADER}, queue="{queue}", consumer_group="{group}"}}'


def _depth(queue: str) -> str:
    return f'queue_depth{{{_LEADER}, queue="{queue}"}}'


def _flow(
    queue: str,
    *,
    published: float,
    delivered: float,
    delivered_changes: Mapping[str, float] | None = None,
    failed: Mapping[str, float] | None = None,
) -> list[Series]:
    """Messages/s published to and delivered from `queue`, and deliveries failing per `reason`."""
    series = []
    for instance in _INSTANCES:
        labels = f'job="{_JOB}", instance="{instance}", queue="{queue}"'
        halved = {at: rate / 2 for at, rate in (delivered_changes or {}).items()}
        series.append(counter(f"queue_messages_published_total{{{labels}}}", published / 2))
        series.append(counter(f"queue_messages_delivered_total{{{labels}}}", delivered / 2, changes=halved))
        for reason, rate in (failed or {}).items():
            series.append(counter(f'queue_messages_failed_total{{{labels}, reason="{reason}"}}', rate / 2))
    return series


def _delivery_latency(queue: str, cumulative: Mapping[float, float]) -> list[Series]:
    """`queue_delivery_latency_seconds` of `queue`: deliveries/s at or below some bounds, the largest being the
    total, e.g. `{1: 95, 5: 98, 10: 100}`; the other buckets (10ms .. 60s) are filled in from it."""
    buckets: dict[float | str, float] = {
        le: max((rate for bound, rate in cumulative.items() if bound <= le), default=0.0) for le in _LE
    }
    buckets["+Inf"] = max(cumulative.values())
    series = []
    for instance in _INSTANCES:
        labels = {"job": _JOB, "instance": instance, "queue": queue}
        series += histogram("queue_delivery_latency_seconds", {le: n / 2 for le, n in buckets.items()}, labels=labels)
    return series


queue_records = RuleGroup(
    "message-queue-records",
    rules=[
        Record(
            "queue:queue_depth:max",
            expr="max by (queue) (queue_depth)",
            tests=[
                RuleTest(
                    "takes the largest depth any broker reports",
                    series=[
                        gauge(_depth("orders"), 1200),
                        gauge(f'queue_depth{{job="{_JOB}", instance="{_INSTANCES[1]}", queue="orders"}}', 1150),
                    ],
                    expect=[Evaluates(at="5m", value=1200, labels={"queue": "orders"})],
                ),
            ],
        ),
        Record(
            "queue_consumer_group:queue_consumer_lag_seconds:max",
            expr="max by (queue, consumer_group) (queue_consumer_lag_seconds)",
        ),
        Record(
            "queue:queue_messages_published:rate5m",
            expr="sum by (queue) (rate(queue_messages_published_total[5m]))",
        ),
        Record(
            "queue:queue_messages_delivered:rate5m",
            expr="sum by (queue) (rate(queue_messages_delivered_total[5m]))",
        ),
        Record(
            "queue:queue_messages_failed:ratio_rate5m",
            expr="""
                sum by (queue) (rate(queue_messages_failed_total[5m]))
                  / queue:queue_messages_delivered:rate5m
            """,
            tests=[
                RuleTest(
                    "adds up failure reasons and instances",
                    series=[
                        _flow("orders", published=20, delivered=20, failed={"deserialization": 1.5, "timeout": 0.5})
                    ],
                    expect=[Evaluates(at="10m30s", value=0.1, labels={"queue": "orders"})],
                ),
            ],
        ),
        Record(
            "queue:queue_delivery_latency_seconds:p99_5m",
            expr="histogram_quantile(0.99, sum by (queue, le) (rate(queue_delivery_latency_seconds_bucket[5m])))",
        ),
    ],
)

queue_alerts = RuleGroup(
    "message-queue-alerts",
    rules=[
        Alert(
            "QueueConsumerLagHigh",
            expr="queue_consumer_group:queue_consumer_lag_seconds:max > 300",
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="Consumer group {{ $labels.consumer_group }} lags on queue {{ $labels.queue }}",
            description=(
                "The oldest message {{ $labels.consumer_group }} has not consumed from {{ $labels.queue }} "
                "is {{ $value | humanizeDuration }} old."
            ),
            runbook_url="https://runbooks.example.com/QueueConsumerLagHigh",
            tests=[
                RuleTest(
                    "fires for the consumer group 7 minutes behind, not the one keeping up",
                    series=[step(_lag("orders", "billing"), 5, 420, at="10m"), gauge(_lag("orders", "shipping"), 3)],
                    expect=[
                        Quiet(at="15m"),  # pending
                        Fires(
                            at="25m",
                            labels={"queue": "orders", "consumer_group": "billing"},
                            annotations={
                                "description": "The oldest message billing has not consumed from orders is 7m 0s old."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 290s of lag",
                    series=[step(_lag("orders", "billing"), 5, 290, at="10m")],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet when a 10-minute lag clears within 5 minutes",
                    series=[gauge(_lag("orders", "billing"), 5, changes={"10m": 600, "15m": 5})],
                    expect=[Quiet(at="14m"), Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "QueueConsumerLagCritical",
            expr="queue_consumer_group:queue_consumer_lag_seconds:max > 1800",
            for_="5m",
            severity="critical",
            labels=_TEAM,
            summary="Consumer group {{ $labels.consumer_group }} is 30 minutes behind on {{ $labels.queue }}",
            description=(
                "The oldest message {{ $labels.consumer_group }} has not consumed from {{ $labels.queue }} "
                "is {{ $value | humanizeDuration }} old."
            ),
            runbook_url="https://runbooks.example.com/QueueConsumerLagCritical",
            tests=[
                RuleTest(
                    "fires when a stalled consumer group ends up 40 minutes behind",
                    # stalled for 30 minutes (the oldest message ages 60s a minute), then only keeps pace
                    series=[raw(_lag("orders", "billing"), "600+60x30 2400x20")],
                    expect=[
                        Quiet(at="20m"),  # 1800s, not above
                        Quiet(at="24m"),  # pending
                        Fires(
                            at="40m",
                            labels={"queue": "orders", "consumer_group": "billing"},
                            annotations={
                                "description": "The oldest message billing has not consumed from orders is 40m 0s old."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 1750s of lag", series=[gauge(_lag("orders", "billing"), 1750)], expect=[Quiet(at="30m")]
                ),
            ],
        ),
        Alert(
            "QueueBacklogGrowing",
            expr="""
                queue:queue_depth:max > 10000
                  and on (queue) max by (queue) (deriv(queue_depth[30m])) > 0
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="Queue {{ $labels.queue }} backlog is large and still growing",
            description=(
                "{{ $labels.queue }} holds {{ $value | humanize }} messages and has kept growing "
                "for the last 30 minutes: consumers do not keep up."
            ),
            runbook_url="https://runbooks.example.com/QueueBacklogGrowing",
            tests=[
                RuleTest(
                    "fires for the backlog that grew past 10k, not the large one that stays flat",
                    # orders grows by 100 a minute, past 10k at minute 21
                    series=[raw(_depth("orders"), "8000+100x60"), gauge(_depth("payments"), 15000)],
                    expect=[
                        Quiet(at="25m"),  # above 10k since 21m: pending
                        Fires(
                            at="45m",
                            labels={"queue": "orders"},
                            annotations={
                                "description": (
                                    "orders holds 12.5k messages and has kept growing for the last 30 minutes: "
                                    "consumers do not keep up."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet for a large backlog that is draining",
                    series=[raw(_depth("orders"), "15000-100x60")],
                    expect=[Quiet(at="40m")],
                ),
                RuleTest(
                    "quiet for a growing backlog still under 10k",
                    series=[raw(_depth("orders"), "5000+80x60")],
                    expect=[Quiet(at="55m")],
                ),
            ],
        ),
        Alert(
            "QueueNotConsumed",
            expr="""
                queue:queue_messages_published:rate5m > 0
                  and on (queue) queue:queue_messages_delivered:rate5m == 0
            """,
            for_="10m",
            severity="critical",
            labels=_TEAM,
            summary="Queue {{ $labels.queue }} receives messages but delivers none",
            description=(
                "{{ $value | humanize }} messages/s are published to {{ $labels.queue }} "
                "and none have been delivered for 10 minutes."
            ),
            runbook_url="https://runbooks.example.com/QueueNotConsumed",
            tests=[
                RuleTest(
                    "fires when deliveries stop at minute 10 while publishing goes on",
                    series=[_flow("orders", published=5, delivered=5, delivered_changes={"10m": 0})],
                    expect=[
                        Quiet(at="9m"),  # still delivering
                        Fires(
                            at="30m",
                            labels={"queue": "orders"},
                            annotations={
                                "description": (
                                    "5 messages/s are published to orders and none have been delivered for 10 minutes."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet while deliveries slow to a trickle",
                    series=[_flow("orders", published=5, delivered=5, delivered_changes={"10m": 0.1})],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet on an idle queue",
                    series=[_flow("orders", published=0, delivered=0)],
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "QueueMessageFailuresHigh",
            expr="""
                queue:queue_messages_failed:ratio_rate5m > 0.05
                  and on (queue) queue:queue_messages_delivered:rate5m > 0.1
            """,
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="More than 5% of messages on {{ $labels.queue }} fail processing",
            description="{{ $value | humanizePercentage }} of deliveries on {{ $labels.queue }} fail.",
            runbook_url="https://runbooks.example.com/QueueMessageFailuresHigh",
            tests=[
                RuleTest(
                    "fires when 10% of deliveries fail",
                    series=[
                        _flow("orders", published=20, delivered=20, failed={"deserialization": 1.5, "timeout": 0.5})
                    ],
                    expect=[
                        Quiet(at="6m"),  # pending
                        Fires(
                            at="15m",
                            labels={"queue": "orders"},
                            annotations={"description": "10% of deliveries on orders fail."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 4% failures",
                    series=[_flow("orders", published=20, delivered=20, failed={"deserialization": 0.8})],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet when half the deliveries fail on a queue delivering under 0.1/s",
                    series=[_flow("orders", published=0.08, delivered=0.08, failed={"deserialization": 0.04})],
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "QueueMessagesDeadLettered",
            expr="sum by (queue) (increase(queue_messages_dead_lettered_total[10m])) > 0",
            for_="5m",
            severity="warning",
            labels=_TEAM,
            summary="Messages from {{ $labels.queue }} go to the dead-letter queue",
            description=(
                "About {{ $value | humanize }} messages from {{ $labels.queue }} were dead-lettered "
                "in the last 10 minutes; they need inspection and replay."
            ),
            runbook_url="https://runbooks.example.com/QueueMessagesDeadLettered",
            tests=[
                RuleTest(
                    "fires when messages start going to the dead-letter queue",
                    # 0.02/s from minute 10: 12 every 10 minutes
                    series=[
                        counter(
                            f'queue_messages_dead_lettered_total{{{_LEADER}, queue="orders"}}', 0, changes={"10m": 0.02}
                        )
                    ],
                    expect=[
                        Quiet(at="9m30s"),
                        Quiet(at="12m30s"),  # pending
                        Fires(
                            at="25m30s",
                            labels={"queue": "orders"},
                            annotations={
                                "description": (
                                    "About 12 messages from orders were dead-lettered in the last 10 minutes; "
                                    "they need inspection and replay."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet while nothing is dead-lettered",
                    series=[counter(f'queue_messages_dead_lettered_total{{{_LEADER}, queue="orders"}}', 0)],
                    expect=[Quiet(at="30m30s")],
                ),
                RuleTest(
                    "quiet once an old dead letter leaves the 10-minute window",
                    series=[raw(f'queue_messages_dead_lettered_total{{{_LEADER}, queue="orders"}}', "0x5 1x40")],
                    expect=[Quiet(at="30m30s")],
                ),
            ],
        ),
        Alert(
            "QueueDeliveryLatencyHigh",
            expr="queue:queue_delivery_latency_seconds:p99_5m > 5",
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="Queue {{ $labels.queue }} p99 delivery latency above 5s",
            description=(
                "The 99th percentile of delivery latency on {{ $labels.queue }} is {{ $value | humanizeDuration }}."
            ),
            runbook_url="https://runbooks.example.com/QueueDeliveryLatencyHigh",
            tests=[
                RuleTest(
                    "fires when p99 delivery latency is 7.5s",
                    series=[_delivery_latency("orders", {1: 95, 5: 98, 10: 100})],
                    expect=[
                        Quiet(at="10m"),  # pending
                        Fires(
                            at="20m",
                            labels={"queue": "orders"},
                            annotations={"description": "The 99th percentile of delivery latency on orders is 7.5s."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet with p99 delivery latency at 4.2s",
                    series=[_delivery_latency("orders", {1: 95, 2.5: 98, 5: 99.5, 10: 100})],
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
    ],
)
