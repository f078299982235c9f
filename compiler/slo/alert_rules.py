"""Burn-rate alerts: a page and a ticket alert, each firing when the error ratio over both the long and the
short window of one of its conditions (the workbook's two, or the tier's own windows) exceeds the condition's
burn-rate factor times the error budget."""

from __future__ import annotations

from datetime import timedelta

from compiler.dsl.numbers import format_number
from compiler.dsl.rule_tests import RuleTest
from compiler.dsl.rules import Alert
from compiler.dsl.slo import SLO, Tier
from compiler.dsl.slo_windows import BurnRateCondition, Severity
from compiler.slo.alert_tests import above_floor, floor_tests, tier_tests
from compiler.slo.construct import DeferredTests, generated_alert
from compiler.slo.identity import (
    WINDOW_LABEL,
    alert_annotations,
    alert_labels,
    error_budget_ratio,
    id_selector,
    sli_error_metric,
    sli_total_metric,
)

SECOND = timedelta(seconds=1)


def burn_rate_alerts(slo: SLO) -> list[Alert]:
    """The page alert, then the ticket alert, leaving out a tier that is disabled (or all without alerting)."""
    if slo.alerting is None:
        return []
    tiers = {Severity.PAGE: slo.alerting.page, Severity.TICKET: slo.alerting.ticket}
    return [
        burn_rate_alert(slo, severity, tier, list(slo.burn_rate_conditions(severity)))
        for severity, tier in tiers.items()
        if tier.enabled
    ]


def burn_rate_alert(slo: SLO, severity: Severity, tier: Tier, conditions: list[BurnRateCondition]) -> Alert:
    assert slo.alerting is not None and slo.alerting.name is not None
    return generated_alert(
        slo,
        slo.alerting.name,
        "\nor\n".join(condition_expr(slo, condition) for condition in conditions),
        for_=tier.for_,
        labels=alert_labels(slo, severity, tier),
        annotations=alert_annotations(slo, severity, tier),
    )


def burn_rate_tests(slo: SLO) -> DeferredTests:
    """The generated tests of every enabled tier (built when read), for the group that holds both alerts: there
    each expected instance names the alert and the labels that pick its tier's rule."""

    def build() -> list[RuleTest]:
        traffic = slo.planted_traffic() if slo.min_events is None else above_floor(slo)
        if traffic is None or slo.alerting is None:
            return []
        tiers = {Severity.PAGE: slo.alerting.page, Severity.TICKET: slo.alerting.ticket}
        tests = [
            test for severity, tier in tiers.items() if tier.enabled for test in tier_tests(slo, severity, traffic)
        ]
        if slo.min_events is not None:
            tests.extend(test for severity in tiers for test in floor_tests(slo, severity))
        return tests

    return DeferredTests(build)


def condition_expr(slo: SLO, condition: BurnRateCondition) -> str:
    """Both windows above `factor * budget`; `max … without (sloth_window)` lets the two sides match. With
    `min_events`, both windows must also have counted at least that many events: events per second at least
    `min_events / seconds of the window`."""
    threshold = f"({format_number(condition.factor)} * {format_number(error_budget_ratio(slo))})"
    selector = id_selector(slo)
    windows = (condition.short, condition.long)
    clauses = [
        f"max({sli_error_metric(window)}{selector} > {threshold}) without ({WINDOW_LABEL})" for window in windows
    ]
    if slo.min_events is not None:
        clauses.extend(
            f"max({sli_total_metric(window)}{selector} >= ({slo.min_events} / {window // SECOND})) "
            f"without ({WINDOW_LABEL})"
            for window in windows
        )
    return "(\n    " + "\n    and\n    ".join(clauses) + "\n)"
