"""The metrics catalogue: every raw metric the rules, SLOs and dashboards read, with its type and labels.

`moncc lint` checks queries against these declarations (a gauge under `rate()`, a label no series carries,
sides of an operation that never match). `job` and `instance`, which every scrape adds, are implied.
A histogram is declared by its base name and covers its `_bucket{le}`, `_sum` and `_count` series.
"""

from compiler.dsl import Metric

# The example service, instrumented with a Prometheus client library.
api_metrics = [
    Metric(
        "http_requests_total",
        type="counter",
        labels=["method", "route", "code"],
        help="HTTP requests served, by method, route and status code.",
    ),
    Metric(
        "http_request_duration_seconds",
        type="histogram",
        labels=["method", "route"],
        help="HTTP request latency.",
        unit="seconds",
        buckets=[0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
]
