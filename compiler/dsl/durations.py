"""Prometheus durations: accept `"5m"` or a `timedelta`, keep a `timedelta`, print Prometheus syntax."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import promql_parser
from pydantic import BeforeValidator, PlainSerializer

_ZERO = re.compile(r"0+(?:ms|[smhdwy])?")
_HAS_UNIT = re.compile(r".*[a-z]")


def parse_duration(value: str | timedelta) -> timedelta:
    """Parse a Prometheus duration (`30s`, `1h30m`); reject what Prometheus itself rejects."""
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise ValueError(f"duration must not be negative, got {value}")
        if value % timedelta(milliseconds=1):
            raise ValueError(f"duration must be a whole number of milliseconds, got {value}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a duration such as '5m' or a timedelta, got {value!r}")
    if _ZERO.fullmatch(value):
        return timedelta(0)
    if not _HAS_UNIT.fullmatch(value):
        raise ValueError(f"invalid duration {value!r}: a unit is required (ms, s, m, h, d, w, y)")
    try:
        return promql_parser.parse_duration(value)
    except ValueError:
        raise ValueError(
            f"invalid duration {value!r}: expected Prometheus syntax such as '30s', '5m' or '1h30m'"
        ) from None


def format_duration(value: timedelta) -> str:
    """Prometheus syntax for a duration: `timedelta(minutes=90)` becomes `1h30m`."""
    return promql_parser.display_duration(value)


def format_optional_duration(value: timedelta | None) -> str | None:
    """`format_duration` of a setting that may be unset: None stays None, so the field is left out."""
    return None if value is None else format_duration(value)


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
"""A pydantic field type for durations written as `"5m"` or `timedelta(minutes=5)`."""
