"""`[tool.moncc.lint]`: which checks run and the facts about the monitoring setup that checks depend on."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from compiler.dsl.durations import Duration
from compiler.dsl.lint_ignore import Reason

DEFAULT_HIGH_CARDINALITY_LABELS = (
    "user_id",
    "customer_id",
    "session_id",
    "request_id",
    "trace_id",
    "span_id",
    "message_id",
    "conversation_id",
    "email",
    "ip",
    "client_ip",
    "url",
)


class LintSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disable: dict[str, Reason] = Field(
        default_factory=dict, description="check name -> why this repository turns it off (the reason is required)"
    )
    severity_labels: tuple[str, ...] = ("critical", "warning", "info")
    """The values an alert's `severity` label may take (what Alertmanager routes on)."""
    scrape_interval: Duration = timedelta(minutes=1)
    """The scrape interval of the metrics the rules read; Prometheus' own default is 1m."""
    range_factor: int = Field(default=4, ge=1)
    """A range vector should span at least this many scrapes, so a missed scrape or two cannot empty it."""
    high_cardinality_labels: tuple[str, ...] = DEFAULT_HIGH_CARDINALITY_LABELS
    """Labels with one value per user, request or message: aggregating by them makes one series each."""
