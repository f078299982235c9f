"""This repository's service level objectives: availability and latency of the HTTP API, delivery of the
message pipeline, WebSocket connection success and message latency (a native histogram).

Each SLO becomes Sloth-compatible recording rules (`slo:sli_error:ratio_rate5m` … `slo:sli_error:ratio_rate30d`,
`slo:objective:ratio`, …) and a page and a ticket burn-rate alert; WebSocket connections, with `min_events`, also
record `slo:sli_total:rate<window>` and alert only on windows that counted enough attempts. `pipeline_delivery_2w`
shows the other periods and a tier of its own: two weeks, and a page on a sustained burn only.
"""

from compiler.dsl import NativeLatencySLI
from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier, Window

RUNBOOKS = "https://runbooks.example.com"


def _alerting(name: str, team: str, burning: str) -> Alerting:
    """Pages go to the on-call (critical), tickets to the team's queue (warning)."""
    return Alerting(
        name=name,
        labels={"team": team},
        description=f"{burning} faster than the objective allows: at this rate the error budget runs out early.",
        runbook_url=f"{RUNBOOKS}/{name}",
        page=Tier(severity="critical"),
        ticket=Tier(severity="warning"),
    )


api_availability = SLO(
    service="api",
    name="availability",
    objective=99.9,
    description="99.9% of HTTP API requests succeed (no 5xx) over 30 days.",
    labels={"team": "api", "tier": "frontend"},
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
        total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
    ),
    alerting=_alerting("ApiAvailabilityBudgetBurn", team="api", burning="The HTTP API fails requests"),
)

api_latency = SLO(
    service="api",
    name="latency",
    objective=99,
    description="99% of HTTP API requests are served within 500ms over 30 days.",
    labels={"team": "api", "tier": "frontend"},
    sli=LatencySLI(
        metric="http_request_duration_seconds",
        selector='job="api"',
        threshold=0.5,
        buckets=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    alerting=_alerting("ApiLatencyBudgetBurn", team="api", burning="HTTP API requests exceed 500ms"),
)

pipeline_delivery = SLO(
    service="pipeline",
    name="delivery",
    objective=99.5,
    description="99.5% of queued messages are delivered rather than failed over 30 days.",
    labels={"team": "platform"},
    sli=ErrorRatioSLI(
        query="""
            sum(rate(queue_messages_failed_total[{{window}}]))
            /
            (
              sum(rate(queue_messages_delivered_total[{{window}}]))
              +
              sum(rate(queue_messages_failed_total[{{window}}]))
            )
        """
    ),
    alerting=_alerting("PipelineDeliveryBudgetBurn", team="platform", burning="Queued messages fail"),
)

websocket_connections = SLO(
    service="websocket",
    name="connection-success",
    objective=99.5,
    description="99.5% of WebSocket connection attempts succeed over 30 days.",
    labels={"team": "realtime"},
    sli=RatioSLI(
        errors="sum(rate(websocket_connection_errors_total[{{window}}]))",
        total="sum(rate(websocket_connections_opened_total[{{window}}]))",
    ),
    min_events=100,  # few attempts at night: no alert judges fewer than 100 in a window
    alerting=_alerting("WebsocketConnectionBudgetBurn", team="realtime", burning="WebSocket connection attempts fail"),
)

api_availability_4w = SLO(
    service="api",
    name="availability-4w",
    objective=99.5,
    period="28d",
    description="Four-week availability of the HTTP API, reported to customers every sprint; tickets only.",
    labels={"team": "api", "tier": "frontend"},
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
        total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
    ),
    alerting=Alerting(
        name="ApiFourWeekAvailabilityBudgetBurn",
        labels={"team": "api"},
        description="The HTTP API fails requests faster than its four-week objective allows.",
        runbook_url=f"{RUNBOOKS}/ApiFourWeekAvailabilityBudgetBurn",
        page=Tier(enabled=False),
        ticket=Tier(severity="warning"),
    ),
)

websocket_message_latency = SLO(
    service="websocket",
    name="message-latency",
    objective=99,
    description="99% of WebSocket messages are delivered within 300ms over 30 days (a native histogram).",
    labels={"team": "realtime"},
    sli=NativeLatencySLI(metric="websocket_message_latency_seconds", threshold=0.3),
    min_events=100,  # quiet hours deliver few messages: no alert judges fewer than 100 in a window
    alerting=_alerting(
        "WebsocketMessageLatencyBudgetBurn", team="realtime", burning="WebSocket messages take longer than 300ms"
    ),
)

pipeline_delivery_2w = SLO(
    service="pipeline",
    name="delivery-2w",
    objective=99,
    period="14d",
    description="99% of queued messages are delivered over each two-week sprint; a short spike does not page.",
    labels={"team": "platform"},
    sli=ErrorRatioSLI(
        query="""
            sum(rate(queue_messages_failed_total[{{window}}]))
            /
            (
              sum(rate(queue_messages_delivered_total[{{window}}]))
              +
              sum(rate(queue_messages_failed_total[{{window}}]))
            )
        """
    ),
    alerting=Alerting(
        name="PipelineSprintDeliveryBudgetBurn",
        labels={"team": "platform"},
        description="Queued messages fail faster than the sprint's objective allows.",
        runbook_url=f"{RUNBOOKS}/PipelineSprintDeliveryBudgetBurn",
        page=Tier(severity="critical", for_="5m", windows=[Window(short="15m", long="2h", budget_percent=5)]),
        ticket=Tier(severity="warning", labels={"queue": "platform"}),
    ),
)
