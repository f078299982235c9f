"""Who is told about which alert: routing by severity, as the on-call handbook says.

- critical: the on-call engineer's pager (PagerDuty, plus the incident bot that opens a channel), and chat;
- warning: chat, after 30 s so that alerts of one incident arrive together;
- info: the ticket queue, once a day;
- a warning is muted while its critical twin (same alert name and team) fires: the SLO burn-rate alerts
  come in such pairs, and the page says everything the ticket would.

Secrets are Kubernetes Secret keys; Alertmanager reads them from where prometheus-operator mounts them.
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
_INFO = 'severity="info"'

alertmanager = Alertmanager(
    global_=Global(
        resolve_timeout="5m",
        slack_api_url=Secret("alertmanager-slack", "api-url"),
    ),
    route=Route(
        "triage",
        group_by=["alertname", "team"],
        group_wait="30s",
        group_interval="5m",
        repeat_interval="4h",
        routes=[
            Route("pager", matchers=[_CRITICAL], group_wait="10s", repeat_interval="1h", continue_=True),
            Route("chat", matchers=['severity=~"critical|warning"']),
            Route("tickets", matchers=[_INFO], group_wait="5m", repeat_interval="24h"),
        ],
    ),
    receivers=[
        Receiver("triage", [Slack(channel="#alerts-triage", send_resolved=True)]),
        Receiver(
            "pager",
            [
                PagerDuty(routing_key=Secret("alertmanager-pagerduty", "routing-key"), severity="critical"),
                Webhook(url="http://incident-bot.monitoring.svc:8080/alertmanager", send_resolved=True),
            ],
        ),
        Receiver("chat", [Slack(channel="#alerts", send_resolved=True)]),
        Receiver("tickets", [Webhook(url="http://ticket-bridge.monitoring.svc:8080/alerts")]),
    ],
    inhibit_rules=[InhibitRule(source=[_CRITICAL], target=[_WARNING], equal=["alertname", "team"])],
    tests=[
        RouteTest(labels={"alertname": "PostgresqlDown", "severity": "critical"}, receivers=["pager", "chat"]),
        RouteTest(
            labels={"alertname": "QueueBacklogGrowing", "severity": "warning", "team": "messaging"},
            receivers=["chat"],
            group_by=["alertname", "team"],
        ),
        RouteTest(labels={"alertname": "PostgresqlLowCacheHitRatio", "severity": "info"}, receivers=["tickets"]),
        RouteTest(labels={"alertname": "Unlabelled"}, receivers=["triage"]),
        InhibitTest(
            firing=[{"alertname": "ApiAvailabilityBudgetBurn", "severity": "critical", "team": "api"}],
            inhibited=[{"alertname": "ApiAvailabilityBudgetBurn", "severity": "warning", "team": "api"}],
            not_inhibited=[
                {"alertname": "ApiLatencyBudgetBurn", "severity": "warning", "team": "api"},
                {"alertname": "ApiAvailabilityBudgetBurn", "severity": "warning", "team": "payments"},
            ],
        ),
    ],
)
