"""Imported SLOs written as DSL calls: `SLO(...)` with its SLI and alerting, defaults left out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from compiler.dsl.durations import format_duration, format_optional_duration
from compiler.dsl.slo import SLI, SLO, Alerting, ErrorRatioSLI, RatioSLI, Tier
from compiler.import_command.python_source import Block, Call, identifier, module_source
from compiler.import_command.ruff_layout import Layout

_DEFAULT_PERIOD = timedelta(days=30)
_ANNOTATION_KEYWORDS = ("summary", "description", "runbook_url")


def slo_module_source(slos: Sequence[SLO], source: Path, what: str, layout: Layout) -> str:
    """The module for one spec file: one variable per SLO, named `<service>_<name>`; `what` names the
    format and the command, e.g. "a Sloth spec by `moncc import sloth`"."""
    taken: set[str] = set()
    assignments = [(identifier(f"{slo.service}_{slo.name}", taken, "slo"), _slo_call(slo)) for slo in slos]
    return module_source(f"Imported from {what}:\n\n{source}", assignments, layout.width)


def _slo_call(slo: SLO) -> Call:
    return Call(
        "SLO",
        (),
        {
            "service": slo.service,
            "name": slo.name,
            "objective": slo.objective,
            "period": None if slo.period == _DEFAULT_PERIOD else format_duration(slo.period),
            "description": slo.description,
            "labels": slo.labels or None,
            "sli": _sli_call(slo.sli),
            "alerting": _alerting_call(slo.alerting) if slo.alerting else None,
        },
    )


def _sli_call(sli: SLI) -> Call:
    if isinstance(sli, RatioSLI):
        return Call("RatioSLI", (), {"errors": _query(sli.errors), "total": _query(sli.total)})
    if isinstance(sli, ErrorRatioSLI):
        return Call("ErrorRatioSLI", (), {"query": _query(sli.query)})
    raise TypeError(f"no importer writes a {type(sli).__name__}")


def _alerting_call(alerting: Alerting) -> Call:
    lifted = {name: alerting.annotations[name] for name in _ANNOTATION_KEYWORDS if name in alerting.annotations}
    annotations = {name: text for name, text in alerting.annotations.items() if name not in lifted}
    return Call(
        "Alerting",
        (),
        {
            "name": alerting.name,
            **lifted,
            "labels": alerting.labels or None,
            "annotations": annotations or None,
            "page": _tier_call(alerting.page),
            "ticket": _tier_call(alerting.ticket),
        },
    )


def _tier_call(tier: Tier) -> Call | None:
    """None for a tier with nothing of its own (the default)."""
    if not tier.enabled:
        return Call("Tier", (), {"enabled": False})
    labels = {name: value for name, value in tier.labels.items() if name != "severity"}
    keywords = {
        "severity": tier.labels.get("severity"),
        "labels": labels or None,
        "annotations": tier.annotations or None,
        "for_": format_optional_duration(tier.for_),
    }
    return Call("Tier", (), keywords) if any(value is not None for value in keywords.values()) else None


def _query(query: str) -> str | Block:
    return Block(query) if "\n" in query else query
