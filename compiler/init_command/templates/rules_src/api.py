"""The example service's alerts, each with tests that show it firing and staying quiet.

`moncc test` runs the tests with promtool on every engine and fails unless every alert is shown firing by
one test and quiet by another.
"""

from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, Series, counter


def _requests(ok: float, errors: float) -> list[Series]:
    """`http_requests_total` of job "api": `ok` 200s and `errors` 500s per second."""
    labels = 'job="api", instance="10.0.0.1:8080", method="GET", route="/v1/orders"'
    return [
        counter(f'http_requests_total{{{labels}, code="200"}}', ok),
        counter(f'http_requests_total{{{labels}, code="500"}}', errors),
    ]


api_alerts = RuleGroup(
    "api-alerts",
    rules=[
        Alert(
            "ApiHighErrorRate",
            expr="""
                sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
                  / sum by (job) (rate(http_requests_total[5m])) > 0.05
            """,
            for_="5m",
            severity="critical",
            labels={"team": "api"},
            summary="{{ $labels.job }} fails more than 5% of requests",
            description="{{ $value | humanizePercentage }} of requests to {{ $labels.job }} fail.",
            runbook_url="https://runbooks.example.com/ApiHighErrorRate",
            tests=[
                RuleTest(
                    "fires when 10% of requests fail",
                    series=_requests(ok=9, errors=1),
                    expect=[
                        Quiet(at="3m"),  # pending: `for_` has not passed yet
                        Fires(
                            at="15m",
                            labels={"job": "api"},
                            annotations={"description": "10% of requests to api fail."},
                        ),
                    ],
                ),
                RuleTest("quiet when 1% of requests fail", series=_requests(ok=99, errors=1), expect=[Quiet(at="30m")]),
            ],
        ),
    ],
)
