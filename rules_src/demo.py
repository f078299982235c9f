from compiler.dsl import Alert, Record, RuleGroup

api = RuleGroup(
    "api",
    rules=[
        Record("job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))"),
        Alert(
            "HighErrorRate",
            expr="""
                sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
                  / sum by (job) (rate(http_requests_total[5m])) > 0.05
            """,
            for_="5m",
            severity="critical",
            summary="{{ $labels.job }} errors above 5%",
            description="{{ $value | humanizePercentage }} of requests fail",
            runbook_url="https://runbooks.example.com/HighErrorRate",
        ),
    ],
)
