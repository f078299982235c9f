"""HTTP API: request rate, errors and latency.

Metrics (instrumented by the service itself):
- `http_requests_total{job, instance, method, route, code}` counter
- `http_request_duration_seconds` histogram (`_bucket{le}`, `_sum`, `_count`; buckets 0.005s .. 10s)
"""

from collections.abc import Mapping

from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, Series, counter, histogram

_TEAM = {"team": "api"}

# Test fixtures: the API runs as job "api" on two instances; every helper splits its rates evenly between them.
_INSTANCES = ("10.0.1.11:8080", "10.0.1.12:8080")
_LE = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


def _requests(
    ok: float,
    errors: float,
    *,
    route: str = "/v1/orders",
    ok_changes: Mapping[str, float] | None = None,
) -> list[Series]:
    """`http_requests_total` of job "api" on `route`: `ok` 200s and `errors` 500s per second in all."""
    series = []
    for instance in _INSTANCES:
        labels = f'job="api", instance="{instance}", method="GET", route="{route}"'
        halved = {at: rate / 2 for at, rate in (ok_changes or {}).items()}
        series.append(counter(f'http_requests_total{{{labels}, code="200"}}', ok / 2, changes=halved))
        series.append(counter(f'http_requests_total{{{labels}, code="500"}}', errors / 2))
    return series


def _latency(cumulative: Mapping[float, float], *, route: str = "/v1/orders") -> list[Series]:
    """Requests of job "api" on `route` and their `http_request_duration_seconds` histogram.

    `cumulative` gives the requests/s at or below some bounds, the largest being the total, e.g.
    `{0.25: 90, 1: 98, 5: 100}`; the service's other buckets (0.005s .. 10s) are filled in from it.
    """
    total = max(cumulative.values())
    buckets: dict[float | str, float] = {
        le: max((rate for bound, rate in cumulative.items() if bound <= le), default=0.0) for le in _LE
    }
    buckets["+Inf"] = total
    series = []
    for instance in _INSTANCES:
        labels = {"job": "api", "instance": instance, "method": "GET", "route": route}
        series += histogram(
            "http_request_duration_seconds", {le: rate / 2 for le, rate in buckets.items()}, labels=labels
        )
        selector = f'http_requests_total{{job="api", instance="{instance}", method="GET", route="{route}", code="200"}}'
        series.append(counter(selector, total / 2))
    return series


http_api_records = RuleGroup(
    "http-api-records",
    rules=[
        Record(
            "job:http_requests:rate5m",
            expr="sum by (job) (rate(http_requests_total[5m]))",
            tests=[
                RuleTest(
                    "sums every route, code and instance of the job",
                    series=[_requests(9, 1), _requests(4, 0, route="/v1/users")],
                    expect=[Evaluates(at="10m30s", value=14, labels={"job": "api"})],
                ),
            ],
        ),
        Record("job_route:http_requests:rate5m", expr="sum by (job, route) (rate(http_requests_total[5m]))"),
        Record(
            "job:http_requests_errors:rate5m",
            expr='sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))',
        ),
        Record(
            "job:http_requests_errors:ratio_rate5m",
            expr="job:http_requests_errors:rate5m / job:http_requests:rate5m",
            tests=[
                RuleTest(
                    "is the share of 5xx over all instances",
                    series=[_requests(9, 1)],
                    expect=[Evaluates(at="10m30s", value=0.1, labels={"job": "api"})],
                ),
            ],
        ),
        Record(
            "job:http_request_duration_seconds:p99_5m",
            expr="histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))",
            tests=[
                RuleTest(
                    "interpolates inside the bucket holding the 99th percentile",
                    # 98 of 100 requests/s take at most 1s (so at most 2.5s), the last 2 take 2.5s..5s.
                    series=[_latency({0.25: 90, 1: 98, 5: 100})],
                    expect=[Evaluates(at="10m30s", value=3.75, labels={"job": "api"})],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 10% of requests fail",
                    series=[_requests(9, 1)],
                    expect=[
                        Quiet(at="3m"),  # pending
                        Fires(
                            at="15m",
                            labels={"job": "api"},
                            annotations={"description": "10% of requests to api returned 5xx over the last 5 minutes."},
                        ),
                    ],
                ),
                RuleTest("quiet at 4% errors", series=[_requests(9.6, 0.4)], expect=[Quiet(at="30m")]),
                RuleTest(
                    "quiet when half the requests fail but the job serves under 1 request/s",
                    series=[_requests(0.4, 0.4)],
                    expect=[Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires after 15 minutes at 2% errors",
                    series=[_requests(9.8, 0.2)],
                    expect=[
                        Quiet(at="10m"),  # pending
                        Fires(
                            at="20m",
                            labels={"job": "api"},
                            annotations={"description": "2% of requests to api have returned 5xx for 15 minutes."},
                        ),
                    ],
                ),
                RuleTest("quiet at 0.8% errors", series=[_requests(9.92, 0.08)], expect=[Quiet(at="30m")]),
            ],
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
            tests=[
                RuleTest(
                    "fires when p99 latency is 3.75s",
                    series=[_latency({0.25: 90, 1: 98, 5: 100})],
                    expect=[
                        Quiet(at="6m"),  # pending
                        Fires(
                            at="15m",
                            labels={"job": "api"},
                            annotations={"description": "The 99th percentile of request latency on api is 3.75s."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet with p99 latency at 2.2s",
                    series=[_latency({0.25: 90, 1: 97, 2.5: 99.5, 5: 100})],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet when a slow job serves under 1 request/s",
                    series=[_latency({0.25: 0.4, 5: 0.8})],
                    expect=[Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires for the slow route only",
                    series=[
                        _latency({0.1: 9, 0.25: 10}, route="/v1/orders"),
                        _latency({0.5: 0.9, 1: 0.98, 2.5: 1}, route="/v1/reports"),
                    ],
                    expect=[
                        Quiet(at="10m"),  # pending
                        Fires(
                            at="20m",
                            labels={"job": "api", "route": "/v1/reports"},
                            annotations={
                                "description": "The 99th percentile of latency for /v1/reports on api is 1.75s."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet with route p99 latency at 0.95s",
                    series=[_latency({0.1: 9, 0.25: 10}), _latency({0.5: 0.9, 1: 1}, route="/v1/reports")],
                    expect=[Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet on a slow route serving under 0.1 requests/s",
                    series=[_latency({0.1: 9, 0.25: 10}), _latency({0.5: 0.05, 2.5: 0.08}, route="/v1/reports")],
                    expect=[Quiet(at="30m")],
                ),
            ],
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
            tests=[
                # These run for a week so that `offset 1w` finds last week's recorded rate.
                RuleTest(
                    "fires when traffic falls to a tenth of last week",
                    series=[_requests(20, 0, ok_changes={"1w": 2})],
                    expect=[
                        Quiet(at="6d23h"),  # no week-old rate to compare with yet
                        Fires(
                            at="1w30m",
                            labels={"job": "api"},
                            annotations={
                                "description": (
                                    "api serves 2 requests/s, less than a fifth of the rate at the same time "
                                    "last week; clients may not reach it."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when traffic falls to a quarter of last week",
                    series=[_requests(20, 0, ok_changes={"1w": 5})],
                    expect=[Quiet(at="1w30m")],
                ),
                RuleTest(
                    "quiet for a job that served under 10 requests/s last week",
                    series=[_requests(8, 0, ok_changes={"1w": 0.5})],
                    expect=[Quiet(at="1w30m")],
                ),
            ],
        ),
    ],
)
