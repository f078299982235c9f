"""Sloth's conventions: the labels that identify an SLO's series and the names of its recorded metrics."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from compiler.dsl.durations import format_duration

if TYPE_CHECKING:
    from compiler.dsl.slo import SLO

ID_LABEL = "sloth_id"
SERVICE_LABEL = "sloth_service"
SLO_LABEL = "sloth_slo"
WINDOW_LABEL = "sloth_window"
SEVERITY_LABEL = "sloth_severity"

SLI_ERROR_METRIC = "slo:sli_error:ratio_rate{window}"


def id_labels(slo: SLO) -> dict[str, str]:
    return {ID_LABEL: slo.slo_id, SERVICE_LABEL: slo.service, SLO_LABEL: slo.name}


def rule_labels(slo: SLO, **extra: str) -> dict[str, str]:
    """The labels of every recorded series: the SLO's own, its identity, and `extra`."""
    return {**slo.labels, **id_labels(slo), **extra}


def id_selector(slo: SLO) -> str:
    """`{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"}`."""
    matchers = ", ".join(f'{name}="{value}"' for name, value in id_labels(slo).items())
    return f"{{{matchers}}}"


def sli_error_metric(window: timedelta) -> str:
    """`slo:sli_error:ratio_rate5m`: the error ratio over one window."""
    return SLI_ERROR_METRIC.format(window=format_duration(window))


def objective_ratio(slo: SLO) -> Decimal:
    """The objective as a ratio, exactly as written: 99.9 gives 0.999."""
    return Decimal(repr(slo.objective)) / 100


def error_budget_ratio(slo: SLO) -> Decimal:
    """The share of events allowed to fail: 99.9 gives 0.001."""
    return 1 - objective_ratio(slo)
