"""Metadata recording rules: the objective, the budget, the burn rates and `sloth_slo_info`, which SLO
dashboards read."""

from __future__ import annotations

from compiler.dsl.numbers import format_number
from compiler.dsl.rules import Record
from compiler.dsl.slo import SLO
from compiler.dsl.slo_windows import sli_windows
from compiler.slo.construct import generated_record
from compiler.slo.identity import (
    ID_LABEL,
    SERVICE_LABEL,
    SLO_LABEL,
    id_selector,
    objective_ratio,
    rule_labels,
    sli_error_metric,
)

GENERATOR = "moncc"
"""`sloth_version` of `sloth_slo_info`: which generator wrote the rules."""

INFO_LABELS = {"sloth_mode": "cli-gen-prom", "sloth_spec": "prometheus/v1", "sloth_version": GENERATOR}
"""What Sloth's CLI writes for a Prometheus rule file, which is what moncc writes too."""


def metadata_recording_rules(slo: SLO) -> list[Record]:
    return [
        objective_record(slo),
        error_budget_record(slo),
        time_period_record(slo),
        current_burn_rate_record(slo),
        period_burn_rate_record(slo),
        period_budget_remaining_record(slo),
        info_record(slo),
    ]


def _record(slo: SLO, name: str, expr: str, labels: dict[str, str] | None = None) -> Record:
    return generated_record(slo, name, expr, labels or rule_labels(slo))


def objective_record(slo: SLO) -> Record:
    return _record(slo, "slo:objective:ratio", f"vector({format_number(objective_ratio(slo))})")


def error_budget_record(slo: SLO) -> Record:
    return _record(slo, "slo:error_budget:ratio", f"vector(1-{format_number(objective_ratio(slo))})")


def time_period_record(slo: SLO) -> Record:
    return _record(slo, "slo:time_period:days", f"vector({slo.period.days})")


def _burn_rate(slo: SLO, error_ratio_metric: str) -> str:
    """An error ratio divided by the error budget: 1 spends the budget exactly over the period."""
    selector = id_selector(slo)
    return (
        f"{error_ratio_metric}{selector}\n"
        f"/ on({ID_LABEL}, {SLO_LABEL}, {SERVICE_LABEL}) group_left\n"
        f"slo:error_budget:ratio{selector}"
    )


def current_burn_rate_record(slo: SLO) -> Record:
    shortest = sli_windows(slo.period)[0]
    return _record(slo, "slo:current_burn_rate:ratio", _burn_rate(slo, sli_error_metric(shortest)))


def period_burn_rate_record(slo: SLO) -> Record:
    return _record(slo, "slo:period_burn_rate:ratio", _burn_rate(slo, sli_error_metric(slo.period)))


def period_budget_remaining_record(slo: SLO) -> Record:
    return _record(slo, "slo:period_error_budget_remaining:ratio", f"1 - slo:period_burn_rate:ratio{id_selector(slo)}")


def info_record(slo: SLO) -> Record:
    labels = rule_labels(slo, sloth_objective=format_number(slo.objective), **INFO_LABELS)
    return _record(slo, "sloth_slo_info", "vector(1)", labels)
