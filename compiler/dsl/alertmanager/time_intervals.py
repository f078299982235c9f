"""Named time intervals that mute a route, or make it active, as Alertmanager's `time_intervals` reads them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, InstanceOf, field_validator

from compiler.dsl.alertmanager.fields import ItemList
from compiler.dsl.definition import Definition
from compiler.problems import SourceLocation

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_TIME_RANGE = re.compile(r"([01][0-9]|2[0-4]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])")
_NUMBER_RANGE = re.compile(r"(-?[0-9]+)(?::(-?[0-9]+))?")


class Period(Definition):
    """When an interval holds: every field that is given must hold (times in `HH:MM-HH:MM`, ranges `a:b`).

    Example:
        ```python
        from compiler.dsl import Period

        office_hours = Period(times=["09:00-17:00"], weekdays=["monday:friday"], time_zone="Europe/Berlin")
        ```
    """

    kind: ClassVar[str] = "period"

    times: ItemList[str] = Field(default_factory=list)
    weekdays: ItemList[str] = Field(default_factory=list)
    days_of_month: ItemList[str] = Field(default_factory=list)
    months: ItemList[str] = Field(default_factory=list)
    years: ItemList[str] = Field(default_factory=list)
    time_zone: str | None = Field(default=None, description="an IANA time zone (`location` in Alertmanager); none: UTC")

    @field_validator("times")
    @classmethod
    def _times(cls, times: list[str]) -> list[str]:
        for text in times:
            found = _TIME_RANGE.fullmatch(text)
            if found is None:
                raise ValueError(f"{text!r} is not a time range such as '09:00-17:00'")
            start_hour, start_minute, end_hour, end_minute = (int(part) for part in found.groups())
            start, end = start_hour * 60 + start_minute, end_hour * 60 + end_minute
            if end > 24 * 60 or start >= end:
                raise ValueError(f"{text!r}: the start must come before the end, both within 00:00-24:00")
        return times

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, weekdays: list[str]) -> list[str]:
        return [_named_range(text, WEEKDAYS) for text in weekdays]

    @field_validator("months")
    @classmethod
    def _months(cls, months: list[str]) -> list[str]:
        return [_named_range(text, MONTHS) for text in months]

    @field_validator("days_of_month")
    @classmethod
    def _days(cls, days: list[str]) -> list[str]:
        for text in days:
            numbers = _numbers(text)
            if any(day == 0 or not -31 <= day <= 31 for day in numbers):
                raise ValueError(f"{text!r}: days of the month are 1 to 31, or -31 to -1 from the end")
            start, end = numbers[0], numbers[-1]
            if start < 0 < end:
                raise ValueError(f"{text!r}: a range that starts from the end of the month must end there too")
            if _in_short_month(start) > _in_short_month(end):
                raise ValueError(
                    f"{text!r}: the end comes before the start (in a 28-day month, as Alertmanager checks)"
                )
        return days

    @field_validator("years")
    @classmethod
    def _years(cls, years: list[str]) -> list[str]:
        for text in years:
            numbers = _numbers(text)
            if any(year <= 0 for year in numbers) or numbers != sorted(numbers):
                raise ValueError(f"{text!r} is not a year or an ascending range of years such as '2026:2027'")
        return years

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, time_zone: str | None) -> str | None:
        if time_zone is not None:
            try:
                ZoneInfo(time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{time_zone!r} is not an IANA time zone such as 'Europe/Berlin'") from None
        return time_zone


def _named_range(text: str, names: tuple[str, ...]) -> str:
    parts = text.lower().split(":")
    if len(parts) > 2 or any(part not in names for part in parts):
        raise ValueError(
            f"{text!r}: expected one of {', '.join(names)}, or a range of two such as '{names[1]}:{names[5]}'"
        )
    if names.index(parts[0]) > names.index(parts[-1]):
        raise ValueError(f"{text!r}: the range must not run backwards")
    return text.lower()


def _in_short_month(day: int) -> int:
    """A day of the month as Alertmanager orders a range's ends: a day from the end counted in 28 days."""
    return 28 + day if day < 0 else day


def _numbers(text: str) -> list[int]:
    found = _NUMBER_RANGE.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a number or a range such as '1:7'")
    return [int(part) for part in found.groups() if part is not None]


class TimeInterval(Definition):
    """A named set of periods, referenced by routes' `mute_time_intervals` and `active_time_intervals`.

    Example:
        ```python
        from compiler.dsl import Period, TimeInterval

        maintenance = TimeInterval("maintenance", [Period(weekdays=["sunday"], times=["02:00-04:00"])])
        ```
    """

    kind: ClassVar[str] = "time interval"

    name: str = Field(min_length=1, pattern=r"^[^\s]+$")
    periods: ItemList[InstanceOf[Period]] = Field(min_length=1)

    def __init__(self, name: str, /, periods: Sequence[Period], *, location: SourceLocation | None = None) -> None:
        super().__init__(name=name, periods=periods, location=location)
