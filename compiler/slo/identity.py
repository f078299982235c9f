"""Sloth's conventions: the labels that identify an SLO's series and the names of its recorded metrics."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from compiler.dsl.durations import format_duration
from compiler.dsl.slo import SLO, Tier
from compiler.dsl.slo_windows import Severity

ID_LABEL = "sloth_id"
SERVICE_LABEL = "sloth_service"
SLO_LABEL = "sloth_slo"
WINDOW_LABEL = "sloth_window"
SEVERITY_LABEL = "sloth_severity"

SLI_ERROR_METRIC = "slo:sli_error:ratio_rate{window}"
SLI_TOTAL_METRIC = "slo:sli_total:rate{window}"


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


def sli_total_metric(window: timedelta) -> str:
    """`slo:sli_total:rate5m`: all events per second over one window, recorded only for `SLO(min_events=...)`."""
    return SLI_TOTAL_METRIC.format(window=format_duration(window))


def objective_ratio(slo: SLO) -> Decimal:
    """The objective as a ratio, exactly as written: 99.9 gives 0.999."""
    return Decimal(repr(slo.objective)) / 100


def error_budget_ratio(slo: SLO) -> Decimal:
    """The share of events allowed to fail: 99.9 gives 0.001."""
    return 1 - objective_ratio(slo)


def alert_labels(slo: SLO, severity: Severity, tier: Tier) -> dict[str, str]:
    """A tier's alert labels: its severity for Sloth, then the shared labels, then the tier's own."""
    assert slo.alerting is not None
    return {SEVERITY_LABEL: severity.value, **slo.alerting.labels, **tier.labels}


def alert_annotations(slo: SLO, severity: Severity, tier: Tier) -> dict[str, str]:
    """Sloth's `title` and `summary`, overridden by the shared annotations, then by the tier's own."""
    assert slo.alerting is not None
    return {**default_annotations(severity), **slo.alerting.annotations, **tier.annotations}


def default_annotations(severity: Severity) -> dict[str, str]:
    slo = f"{{{{$labels.{SERVICE_LABEL}}}}} {{{{$labels.{SLO_LABEL}}}}}"
    return {
        "title": f"({severity.value}) {slo} SLO error budget burn rate is too fast.",
        "summary": f"{slo} SLO error budget burn rate is over expected.",
    }
