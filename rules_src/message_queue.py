"""Message queue consumer: backlog, consumer lag, failures, dead letters and delivery latency.

Metrics (labelled `job` and `instance`):
- `queue_depth{queue}` gauge: messages waiting
- `queue_consumer_lag_seconds{queue, consumer_group}` gauge: age of the oldest unconsumed message
- `queue_messages_published_total{queue}`, `queue_messages_delivered_total{queue}` counters
- `queue_messages_failed_total{queue, reason}` counter: deliveries the consumer failed to process
- `queue_messages_dead_lettered_total{queue}` counter: messages moved to the dead-letter queue
- `queue_delivery_latency_seconds` histogram (`_bucket{le}`, `_sum`, `_count`), labelled `queue`
"""

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "messaging"}

queue_records = RuleGroup(
    "message-queue-records",
    rules=[
        Record("queue:queue_depth:max", expr="max by (queue) (queue_depth)"),
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
        ),
    ],
)
