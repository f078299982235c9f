"""Generated rule tests that prove an SLO's burn-rate alerts and its SLI recording.

For every condition of a tier (page: 14.4x over 5m and 1h, 6x over 30m and 6h; ticket: 3x over 2h and 1d,
1x over 6h and 3d, for a 30-day period; or the tier's own windows) one test plants an error ratio 5% above the
condition's threshold and expects the tier to fire; one test per tier plants a ratio 5% below the tier's lowest
threshold and expects it to stay quiet. Page and ticket share an alert name, so each test expects the exact
set of instances firing at its time (a ticket may fire while the page stays quiet): promtool compares whole
sets, which proves each tier's state.

The traffic runs at one error ratio from time 0, with counters starting at 0. Prometheus extrapolates a counter
no further back than where it was 0, so every window, however long, measures errors and total over the same
span and their ratio is the planted one as soon as it holds two samples, at any evaluation phase: whatever a
server's group offset extrapolates scales errors and total alike (`moncc test`'s phase-shifted runs and
tests/live/test_replay.py check it), and the 5% margin stays clear of every threshold. A test need not run for
the 3 days of the longest window. That matters because promtool evaluates every rule of the file at every evaluation
interval (1m): a test at 6h30m costs seconds, one at 3d30m most of a minute. Tests look at 10 minutes past
the longest `for:` (clear of every window's length, so no window starts exactly at time 0), and past the
short window `$value` reads too when an annotation prints it, which is then exactly the planted ratio.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from compiler.dsl.durations import format_duration
from compiler.dsl.numbers import format_number
from compiler.dsl.rule_tests import Evaluates, Fires, Quiet, RuleTest
from compiler.dsl.series import Series
from compiler.dsl.sli_traffic import Traffic
from compiler.dsl.slo import SLO, Tier
from compiler.dsl.slo_annotations import LABEL_TEMPLATE, PERCENTAGE_TEMPLATE
from compiler.dsl.slo_windows import Severity
from compiler.slo.identity import (
    WINDOW_LABEL,
    alert_annotations,
    alert_labels,
    error_budget_ratio,
    id_selector,
    rule_labels,
)

ABOVE = Decimal("1.05")
BELOW = Decimal("0.95")
SETTLE = timedelta(minutes=10)
"""How long past every tier's `for:` a test looks."""

INTERVAL = timedelta(minutes=1)
"""Input samples every minute keep several in the shortest (5m) window."""

SIGNIFICANT_DIGITS = 4
"""A planted ratio is rounded to this many digits, so whole-number rates give it without rounding noise."""


def planted_ratio(threshold: Fraction, margin: Decimal) -> Decimal:
    exact = Decimal(threshold.numerator) / Decimal(threshold.denominator) * margin
    return Decimal(f"{exact:.{SIGNIFICANT_DIGITS}g}")


def tier_tests(slo: SLO, severity: Severity, traffic: Traffic) -> list[RuleTest]:
    """The firing test of each reachable condition of the tier, then its quiet test."""
    budget = Fraction(error_budget_ratio(slo))
    conditions = slo.burn_rate_conditions(severity)
    tests = []
    for condition in conditions:
        ratio = planted_ratio(condition.factor * budget, ABOVE)
        if ratio >= 1:
            continue
        name = (
            f"{severity.value} fires just above {format_number(condition.factor)}x the budget over "
            f"{format_duration(condition.short)} and {format_duration(condition.long)}"
        )
        tests.append(_test(slo, name, ratio, traffic))
    lowest = min(conditions, key=lambda condition: condition.factor)
    ratio = planted_ratio(lowest.factor * budget, BELOW)
    name = f"{severity.value} quiet just below {format_number(lowest.factor)}x the budget"
    tests.append(_test(slo, name, ratio, traffic))
    return tests


SLI_TEST_FACTOR = Fraction("14.4")
"""The SLI test plants the 30-day page threshold (14.4x the budget) whatever the period: a realistic ratio, and
one whose whole-number rates Prometheus 2 divides without rounding noise for the objectives in use (3.36x for
7 days gave 0.003528, which Prometheus 2 records as 0.0035279999999999995)."""


def sli_test(slo: SLO, traffic: Traffic) -> RuleTest:
    """`slo:sli_error:ratio_rate5m` records exactly the planted ratio (a page threshold, as a realistic one)."""
    budget = Fraction(error_budget_ratio(slo))
    ratio = min(planted_ratio(SLI_TEST_FACTOR * budget, ABOVE), Decimal("0.5"))
    expect = Evaluates.model_construct(
        at=timedelta(minutes=30),
        value=float(ratio),
        labels=rule_labels(slo, **{WINDOW_LABEL: "5m"}),
        expr=f"slo:sli_error:ratio_rate5m{id_selector(slo)}",
        location=slo.location,
    )
    return _rule_test(slo, f"{slo.slo_id}: records the planted error ratio {_shown(ratio)}", traffic(ratio), [expect])


def _test(slo: SLO, name: str, ratio: Decimal, traffic: Traffic) -> RuleTest:
    at = _evaluation_time(slo, ratio)
    firing = [_instance(slo, severity, ratio, at) for severity in Severity if _fires(slo, severity, ratio)]
    alert = slo.alerting.name if slo.alerting is not None else None
    quiet = Quiet.model_construct(at=at, alert=alert, location=slo.location)
    expect: list[Fires | Quiet | Evaluates] = [*firing] if firing else [quiet]
    return _rule_test(slo, f"{name} (error ratio {_shown(ratio)})", traffic(ratio), expect)


def _evaluation_time(slo: SLO, ratio: Decimal) -> timedelta:
    """Past every tier's `for:`; when an annotation prints `$value`, also past the short window it reads (the
    first satisfied condition of each firing tier), which then holds exactly the planted ratio."""
    at = SETTLE + _longest_for(slo)
    if _prints_value(slo):
        at += max((_value_window(slo, severity, ratio) for severity in Severity), default=timedelta(0))
    at = -(-at // INTERVAL) * INTERVAL
    windows = set(slo.sli_windows())
    while at in windows:
        at += INTERVAL
    return at


def _value_window(slo: SLO, severity: Severity, ratio: Decimal) -> timedelta:
    if not _fires(slo, severity, ratio):
        return timedelta(0)
    budget = Fraction(error_budget_ratio(slo))
    conditions = slo.burn_rate_conditions(severity)
    return next(c.short for c in conditions if Fraction(ratio) > c.factor * budget)


def _rule_test(
    slo: SLO,
    name: str,
    series: list[Series],
    expect: list[Fires | Quiet | Evaluates],
) -> RuleTest:
    return RuleTest.model_construct(name=name, series=series, expect=expect, interval=INTERVAL, location=slo.location)


def _fires(slo: SLO, severity: Severity, ratio: Decimal) -> bool:
    """Whether a tier fires at a steady ratio: above one of its thresholds."""
    tier = _tier(slo, severity)
    if tier is None or not tier.enabled:
        return False
    budget = Fraction(error_budget_ratio(slo))
    return any(Fraction(ratio) > condition.factor * budget for condition in slo.burn_rate_conditions(severity))


def _instance(slo: SLO, severity: Severity, ratio: Decimal, at: timedelta) -> Fires:
    """The tier's alert as Prometheus shows it: every label given (the rule's over the result's), annotations
    rendered from the result's labels (what `$labels` reads) and the ratio (what `$value` is)."""
    tier = _tier(slo, severity)
    assert tier is not None and slo.alerting is not None
    result = rule_labels(slo)
    labels = {**result, **alert_labels(slo, severity, tier)}
    annotations = {name: _render(text, result, ratio) for name, text in alert_annotations(slo, severity, tier).items()}
    return Fires.model_construct(
        at=at, labels=labels, annotations=annotations, alert=slo.alerting.name, location=slo.location
    )


def _render(template: str, labels: dict[str, str], ratio: Decimal) -> str:
    value = float(ratio)
    text = LABEL_TEMPLATE.sub(lambda match: labels.get(match.group(1), ""), template)
    return PERCENTAGE_TEMPLATE.sub(f"{value * 100:.4g}%", text)


def _tier(slo: SLO, severity: Severity) -> Tier | None:
    return slo.tier(severity)


def _longest_for(slo: SLO) -> timedelta:
    if slo.alerting is None:
        return timedelta(0)
    tiers = (slo.alerting.page, slo.alerting.ticket)
    return max((tier.for_ for tier in tiers if tier.enabled and tier.for_), default=timedelta(0))


def _shown(ratio: Decimal) -> str:
    return format(ratio.normalize(), "f")


def _prints_value(slo: SLO) -> bool:
    if slo.alerting is None:
        return False
    tiers = (slo.alerting.page, slo.alerting.ticket)
    texts = [*slo.alerting.annotations.values(), *(text for tier in tiers for text in tier.annotations.values())]
    return any(PERCENTAGE_TEMPLATE.search(text) for text in texts)
