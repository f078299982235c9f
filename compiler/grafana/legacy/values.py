"""Reading the loosely typed values of legacy JSON (numbers saved as strings, heights as "250px")."""

from __future__ import annotations

from typing import Any


def number(value: Any) -> int | float | None:
    """A number, or a string holding one (the AngularJS editors saved axis bounds as strings); else None.

    An empty string is None (the author left the bound empty), where JavaScript's Number("") would read 0.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and value.strip():
        try:
            parsed = float(value)
        except ValueError:
            return None
        return int(parsed) if parsed.is_integer() else parsed
    return None


def pixels(value: Any) -> int | None:
    """A height in pixels: a number, "250" or "250px" (parseInt's reading); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        digits = value.strip().removesuffix("px").strip()
        if digits.isdigit():
            return int(digits)
    return None


def without_none(values: dict[str, Any]) -> dict[str, Any]:
    """The entries whose value is set (lodash's omitBy(isNil), which Grafana's migrations apply)."""
    return {key: value for key, value in values.items() if value is not None}


def mapping(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (a legacy field saved as null or of another type)."""
    return value if isinstance(value, dict) else {}
