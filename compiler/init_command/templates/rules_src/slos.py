"""The example service's service level objective.

An SLO becomes Sloth-compatible recording rules (`slo:sli_error:ratio_rate5m` ... `slo:sli_error:ratio_rate30d`,
the metadata rules), a page and a ticket burn-rate alert, and promtool tests that prove both alerts fire just
above their burn rates and stay quiet below them: nothing to write by hand.
"""

from compiler.dsl.slo import SLO, Alerting, RatioSLI, Tier

api_availability = SLO(
    service="api",
    name="availability",
    objective=99.9,
    period="30d",
    description="99.9% of API requests succeed (no 5xx) over 30 days.",
    labels={"team": "api"},
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
        total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
    ),
    alerting=Alerting(
        name="ApiAvailabilityBudgetBurn",
        labels={"team": "api"},
        description="The API fails requests faster than its objective allows: the error budget runs out early.",
        runbook_url="https://runbooks.example.com/ApiAvailabilityBudgetBurn",
        page=Tier(severity="critical"),
        ticket=Tier(severity="warning"),
    ),
)
