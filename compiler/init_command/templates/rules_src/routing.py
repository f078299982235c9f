"""Who is told about which alert: the Alertmanager configuration, routed by severity.

- critical: the on-call engineer's pager, and chat;
- warning: chat;
- info: the ticket queue, once a day;
- a warning is muted while its critical twin (same alert name and team) fires.

The build fails when an alert reaches only the root receiver (`triage`) or a severity has no route; `moncc test`
proves the routes with amtool and `moncc routes` prints where every alert goes. Secrets are Kubernetes Secret
keys, never values.
"""

from compiler.dsl import (
    Alertmanager,
    Global,
    InhibitRule,
    InhibitTest,
    PagerDuty,
    Receiver,
    Route,
    RouteTest,
    Secret,
    Slack,
    Webhook,
)

_CRITICAL = 'severity="critical"'
_WARNING = 'severity="warning"'

alertmanager = Alertmanager(
    global_=Global(resolve_timeout="5m", slack_api_url=Secret("alertmanager-slack", "api-url")),
    route=Route(
        "triage",  # the root: what no route below takes
        group_by=["alertname", "team"],
        routes=[
            Route("pager", matchers=[_CRITICAL], group_wait="10s", continue_=True),
            Route("chat", matchers=['severity=~"critical|warning"']),
            Route("tickets", matchers=['severity="info"'], repeat_interval="24h"),
        ],
    ),
    receivers=[
        Receiver("triage", [Slack(channel="#alerts-triage")]),
        Receiver("pager", [PagerDuty(routing_key=Secret("alertmanager-pagerduty", "routing-key"))]),
        Receiver("chat", [Slack(channel="#alerts")]),
        Receiver("tickets", [Webhook(url="http://ticket-bridge.monitoring.svc:8080/alerts")]),
    ],
    inhibit_rules=[InhibitRule(source=[_CRITICAL], target=[_WARNING], equal=["alertname", "team"])],
    tests=[
        RouteTest(labels={"alertname": "ApiHighErrorRate", "severity": "critical"}, receivers=["pager", "chat"]),
        RouteTest(labels={"alertname": "ApiAvailabilityBudgetBurn", "severity": "warning"}, receivers=["chat"]),
        RouteTest(labels={"alertname": "DiskFilling", "severity": "info"}, receivers=["tickets"]),
        InhibitTest(
            firing=[{"alertname": "ApiAvailabilityBudgetBurn", "severity": "critical", "team": "api"}],
            inhibited=[{"alertname": "ApiAvailabilityBudgetBurn", "severity": "warning", "team": "api"}],
            not_inhibited=[{"alertname": "ApiAvailabilityBudgetBurn", "severity": "warning", "team": "payments"}],
        ),
    ],
)
