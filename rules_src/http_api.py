"""HTTP API: request rate, errors and latency.

Metrics (instrumented by the service itself):
- `http_requests_total{job, instance, method, route, code}` counter
- `http_request_duration_seconds` histogram (`_bucket{le}`, `_sum`, `_count`; buckets 0.005s .. 10s)
"""

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "api"}

http_api_records = RuleGroup(
    "http-api-records",
    rules=[
        Record("job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))"),
        Record("job_route:http_requests:rate5m", expr="sum by (job, route) (rate(http_requests_total[5m]))"),
        Record(
            "job:http_requests_errors:rate5m",
            expr='sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))',
        ),
        Record(
            "job:http_requests_errors:ratio_rate5m",
            expr="job:http_requests_errors:rate5m / job:http_requests:rate5m",
        ),
        Record(
            "job:http_request_duration_seconds:p99_5m",
            expr="histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))",
        ),
        Record(
            "job_route:http_request_duration_seconds:p99_5m",
            expr="histogram_quantile(0.99, sum by (job, route, le) (rate(http_request_duration_seconds_bucket[5m])))",
        ),
        Record(
            "job:http_request_duration_seconds:mean5m",
            expr="""
                sum by (job) (rate(http_request_duration_seconds_sum[5m]))
                  / sum by (job) (rate(http_request_duration_seconds_count[5m]))
            """,
        ),
    ],
)

http_api_alerts = RuleGroup(
    "http-api-alerts",
    rules=[
        Alert(
            "HttpApiHighErrorRate",
            expr="""
                job:http_requests_errors:ratio_rate5m > 0.05
                  and on (job) job:http_requests:rate5m > 1
            """,
            for_="5m",
            severity="critical",
            labels=_TEAM,
            summary="{{ $labels.job }} fails more than 5% of requests",
            description=(
                "{{ $value | humanizePercentage }} of requests to {{ $labels.job }} returned 5xx "
                "over the last 5 minutes."
            ),
            runbook_url="https://runbooks.example.com/HttpApiHighErrorRate",
        ),
        Alert(
            "HttpApiElevatedErrorRate",
            expr="""
                job:http_requests_errors:ratio_rate5m > 0.01
                  and on (job) job:http_requests:rate5m > 1
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.job }} fails more than 1% of requests",
            description=(
                "{{ $value | humanizePercentage }} of requests to {{ $labels.job }} have returned 5xx for 15 minutes."
            ),
            runbook_url="https://runbooks.example.com/HttpApiElevatedErrorRate",
        ),
        Alert(
            "HttpApiHighLatency",
            expr="job:http_request_duration_seconds:p99_5m > 2.5 and on (job) job:http_requests:rate5m > 1",
            for_="10m",
            severity="critical",
            labels=_TEAM,
            summary="{{ $labels.job }} p99 latency above 2.5s",
            description=(
                "The 99th percentile of request latency on {{ $labels.job }} is {{ $value | humanizeDuration }}."
            ),
            runbook_url="https://runbooks.example.com/HttpApiHighLatency",
        ),
        Alert(
            "HttpApiRouteSlow",
            expr="""
                job_route:http_request_duration_seconds:p99_5m > 1
                  and on (job, route) job_route:http_requests:rate5m > 0.1
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.job }} route {{ $labels.route }} p99 latency above 1s",
            description=(
                "The 99th percentile of latency for {{ $labels.route }} on {{ $labels.job }} "
                "is {{ $value | humanizeDuration }}."
            ),
            runbook_url="https://runbooks.example.com/HttpApiRouteSlow",
        ),
        Alert(
            "HttpApiTrafficDrop",
            expr="""
                job:http_requests:rate5m < 0.2 * (job:http_requests:rate5m offset 1w)
                  and on (job) (job:http_requests:rate5m offset 1w) > 10
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.job }} traffic dropped below 20% of last week",
            description=(
                "{{ $labels.job }} serves {{ $value | humanize }} requests/s, less than a fifth of the rate "
                "at the same time last week; clients may not reach it."
            ),
            runbook_url="https://runbooks.example.com/HttpApiTrafficDrop",
        ),
    ],
)
