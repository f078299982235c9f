"""`lint_ignore=`: turn a lint check off for one object, always with the reason written next to it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints


def _reasons_required(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset | str):
        names = [value] if isinstance(value, str) else sorted(value)
        example = ", ".join(f"{name!r}: 'why'" for name in names) or "'check/name': 'why'"
        raise ValueError(f"give each ignored check a reason: lint_ignore={{{example}}}")
    return value


CheckName = Annotated[str, StringConstraints(min_length=1)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LintIgnore = Annotated[dict[CheckName, Reason], BeforeValidator(_reasons_required)]
"""Check name -> why it does not apply here."""
