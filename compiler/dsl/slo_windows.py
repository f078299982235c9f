"""The multi-window, multi-burn-rate alert windows, and the burn-rate factors they imply for a period.

The windows are the SRE workbook's (and Sloth's `google-30d`/`google-28d` catalogs): each alert fires when a
share of the period's error budget is spent within its long window, confirmed by its short window. The factor
follows from the period: spending `p%` of a `D`-day budget in `L` hours is a burn rate of `p/100 * 24*D / L`,
which gives 14.4/6/3/1 for 30 days and 13.44/5.6/2.8/0.93 for 28 days. Any whole number of days longer than
the longest window works the same way: 7, 14, 28, 30 or 90 days. A tier may bring its own windows instead
(`Tier(windows=[Window(...)])`, see `compiler.dsl.slo`); their SLI records join the workbook's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cache

from compiler.dsl.durations import format_duration


class Severity(StrEnum):
    """Sloth's two alert severities: a page wakes someone up, a ticket waits for working hours."""

    PAGE = "page"
    TICKET = "ticket"


@dataclass(frozen=True)
class BudgetWindow:
    """One condition of an alert: `budget_percent` of the period's budget spent within `long`."""

    severity: Severity
    budget_percent: Fraction
    short: timedelta
    long: timedelta


WORKBOOK_WINDOWS: tuple[BudgetWindow, ...] = (
    BudgetWindow(Severity.PAGE, Fraction(2), timedelta(minutes=5), timedelta(hours=1)),
    BudgetWindow(Severity.PAGE, Fraction(5), timedelta(minutes=30), timedelta(hours=6)),
    BudgetWindow(Severity.TICKET, Fraction(10), timedelta(hours=2), timedelta(days=1)),
    BudgetWindow(Severity.TICKET, Fraction(10), timedelta(hours=6), timedelta(days=3)),
)
"""Page quick, page slow, ticket quick, ticket slow, in the order Sloth writes their conditions."""

_SECOND = timedelta(seconds=1)

LONGEST_WINDOW = max(window.long for window in WORKBOOK_WINDOWS)

SHORTEST_WINDOW = min(window.short for window in WORKBOOK_WINDOWS)
"""No window may be shorter: `rate()` over less than 5m holds too few samples at common scrape intervals, and
the period's SLI record and the current burn rate are read from the 5m record."""


@dataclass(frozen=True)
class BurnRateCondition:
    """A window of the catalog applied to a period: both windows' error ratios above `factor * budget`."""

    severity: Severity
    short: timedelta
    long: timedelta
    factor: Fraction


def check_period(period: timedelta) -> timedelta:
    """Accept the periods the workbook windows scale to: whole days, longer than the longest alert window."""
    if period % timedelta(days=1):
        raise ValueError(f"{format_duration(period)} is not a whole number of days, such as '28d' or '30d'")
    if period <= LONGEST_WINDOW:
        raise ValueError(
            f"{format_duration(period)} is too short: an SLO period must be longer than the "
            f"{format_duration(LONGEST_WINDOW)} window of the slow ticket alert"
        )
    return period


def burn_rate_factor(period: timedelta, window: BudgetWindow) -> Fraction:
    """How many times faster than sustainable the budget burns when `window.budget_percent` goes in `window.long`."""
    return window.budget_percent / 100 * Fraction(period // _SECOND, window.long // _SECOND)


@cache
def burn_rate_conditions(period: timedelta) -> tuple[BurnRateCondition, ...]:
    return tuple(
        BurnRateCondition(window.severity, window.short, window.long, burn_rate_factor(period, window))
        for window in WORKBOOK_WINDOWS
    )


@cache
def sli_windows(period: timedelta, extra: tuple[timedelta, ...] = ()) -> tuple[timedelta, ...]:
    """Every window the alerts read (the workbook's and the `extra` of tiers' own windows), shortest first, then
    the period itself."""
    windows = {window.short for window in WORKBOOK_WINDOWS} | {window.long for window in WORKBOOK_WINDOWS}
    return (*sorted(windows | set(extra)), period)
