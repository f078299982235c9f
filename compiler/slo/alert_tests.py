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

import math
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

_SECOND = timedelta(seconds=1)

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


# --- the min_events floor -----------------------------------------------------------------------------------------

FLOOR_ABOVE = Decimal("1.05")
FLOOR_BELOW = Decimal("0.95")
FLOOR_CLEARANCE = Decimal("0.02")
"""How far from `min_events` a window's count must stay, whichever interval a phase shift moves it by."""


def above_floor(slo: SLO) -> Traffic:
    """The SLI's synthesized traffic, its rates multiplied by a whole number so that the shortest window holds
    at least twice `min_events` by the time any test looks: the burn-rate tests then prove the ratio alone."""
    plan = slo.sli.traffic_plan()
    shortest = Decimal(slo.sli_windows()[0] // _SECOND)

    def traffic(ratio: Decimal) -> list[Series]:
        assert slo.min_events is not None
        per_window = plan.events_per_second(ratio) * shortest
        factor = max(1, math.ceil(2 * slo.min_events / per_window))
        return _scaled(plan.series(ratio), Decimal(factor))

    return traffic


def floor_tests(slo: SLO, severity: Severity) -> list[RuleTest]:
    """With every event an error, the tier stays quiet just below `min_events` in the short window of its easiest
    condition (the longest short window it has), and fires just above it."""
    assert slo.min_events is not None
    window = _floor_window(slo, severity)
    if window is None:
        return []
    plan = slo.sli.traffic_plan()
    floor = Decimal(slo.min_events)
    tests = []
    for margin, verb in ((FLOOR_BELOW, "quiet"), (FLOOR_ABOVE, "fires")):
        per_second = floor * margin / Decimal(window // _SECOND)
        at = _floor_time(slo, severity, per_second)
        series = _scaled(plan.series(Decimal(1)), per_second / plan.events_per_second(Decimal(1)))
        firing = [_instance(slo, tier, Decimal(1), at) for tier in Severity if _fires_at(slo, tier, per_second, at)]
        alert = slo.alerting.name if slo.alerting is not None else None
        expect: list[Fires | Quiet | Evaluates] = (
            [*firing] if firing else [Quiet.model_construct(at=at, alert=alert, location=slo.location)]
        )
        name = (
            f"{severity.value} {verb} with every event an error, {_shown(floor * margin)} events in "
            f"{format_duration(window)} (min_events {slo.min_events})"
        )
        tests.append(_rule_test(slo, name, series, expect))
    return tests


def _floor_window(slo: SLO, severity: Severity) -> timedelta | None:
    """The longest short window among the tier's conditions an error ratio of 1 passes: the first to count
    `min_events` at a steady rate (each long window holds at least as many)."""
    tier = _tier(slo, severity)
    if tier is None or not tier.enabled:
        return None
    budget = Fraction(error_budget_ratio(slo))
    shorts = [c.short for c in slo.burn_rate_conditions(severity) if c.factor * budget < 1]
    return max(shorts, default=None)


def _floor_time(slo: SLO, severity: Severity, per_second: Decimal) -> timedelta:
    """Past the tier's `for:` and its floor window, plus `SETTLE`; later, when that leaves another tier's count
    within reach of the floor, past every tier's window, where every count is the steady one."""
    tiers = [tier for tier in Severity if _floor_window(slo, tier) is not None]
    early = SETTLE + _tier_for(slo, severity) + (_floor_window(slo, severity) or timedelta(0))
    late = SETTLE + max(_tier_for(slo, tier) + (_floor_window(slo, tier) or timedelta(0)) for tier in tiers)
    windows = set(slo.sli_windows())
    for candidate in (early, late):
        at = -(-candidate // INTERVAL) * INTERVAL
        while at in windows:
            at += INTERVAL
        if all(_clear_of_floor(slo, tier, per_second, at) for tier in tiers):
            return at
    raise AssertionError("the time past every tier's window is clear of the floor")


def _floor_count(slo: SLO, severity: Severity, per_second: Decimal, at: timedelta) -> Decimal:
    """Events in the tier's floor window when its `for:` began: the window holds the traffic since time 0."""
    window = _floor_window(slo, severity)
    assert window is not None
    since = max(at - _tier_for(slo, severity), timedelta(0))
    return per_second * Decimal(min(window, since) // _SECOND)


def _clear_of_floor(slo: SLO, severity: Severity, per_second: Decimal, at: timedelta) -> bool:
    assert slo.min_events is not None
    counts = [_floor_count(slo, severity, per_second, at + shift) for shift in (-2 * INTERVAL, 2 * INTERVAL)]
    floor = Decimal(slo.min_events)
    return min(counts) >= floor * (1 + FLOOR_CLEARANCE) or max(counts) <= floor * (1 - FLOOR_CLEARANCE)


def _fires_at(slo: SLO, severity: Severity, per_second: Decimal, at: timedelta) -> bool:
    if _floor_window(slo, severity) is None:
        return False
    assert slo.min_events is not None
    return _floor_count(slo, severity, per_second, at) >= slo.min_events


def _tier_for(slo: SLO, severity: Severity) -> timedelta:
    tier = _tier(slo, severity)
    return tier.for_ if tier is not None and tier.for_ is not None else timedelta(0)


def _scaled(series: list[Series], factor: Decimal) -> list[Series]:
    """The series with every rate multiplied by `factor`: a counter's slope, or each of a native histogram's
    bucket, count and sum rates (so its error ratio, a share of its count, is unchanged)."""
    return [_scaled_one(one, factor) for one in series]


def _scaled_one(series: Series, factor: Decimal) -> Series:
    if series.native is not None:
        native = series.native
        rates = {
            "buckets": tuple(_times(rate, factor) for rate in native.buckets),
            "count": _times(native.count, factor),
            "sum": _times(native.sum, factor),
        }
        return series.model_copy(update={"native": native.model_copy(update=rates)})
    if series.per_second is not None:
        return series.model_copy(update={"per_second": _times(series.per_second, factor)})
    return series


def _times(rate: float, factor: Decimal) -> float:
    """`rate * factor` computed in decimal, so whole-number rates and factors stay exact."""
    return float(Decimal(repr(rate)) * factor)
