"""`[tool.moncc.lint]`: which checks run and the facts about the monitoring setup that checks depend on."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from compiler.dsl.durations import Duration
from compiler.dsl.lint_ignore import Reason
from compiler.dsl.syntax import check_label_name

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
    target_labels: tuple[str, ...] = ()
    """Labels every scrape adds besides `job` and `instance` (a `cluster` or `region` the scrape configs set):
    every declared metric carries them."""

    @field_validator("target_labels")
    @classmethod
    def _label_names(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        for label in labels:
            check_label_name(label)
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            raise ValueError(f"labels listed twice: {', '.join(duplicates)}")
        return labels
