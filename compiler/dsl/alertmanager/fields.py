"""Field types the Alertmanager DSL objects share."""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import BeforeValidator, InstanceOf, PlainSerializer

from compiler.dsl.alertmanager.matchers import Matcher, parse_matcher

Item = TypeVar("Item")


def _matcher(value: object) -> Matcher:
    if isinstance(value, Matcher):
        return value
    if not isinstance(value, str):
        raise ValueError(f"a matcher is a string such as 'severity=\"critical\"', got {value!r}")
    return parse_matcher(value)


MatcherField = Annotated[InstanceOf[Matcher], BeforeValidator(_matcher), PlainSerializer(str, return_type=str)]
"""A matcher written as Alertmanager writes it, `'severity="critical"'`, kept parsed."""


def _listed(values: object) -> list[object]:
    """The items of a list or tuple. Anything else is refused in one line rather than taken apart: a lone string
    into its characters, a DSL object into its fields (one problem each), a set into items whose order changes
    from run to run, and with it build/."""
    if not isinstance(values, list | tuple):
        shown = f"the string {values!r}" if isinstance(values, str) else f"a {type(values).__name__}"
        raise ValueError(f"expected a list, got {shown}")
    return list(values)


Items = Annotated[tuple[Item, ...], BeforeValidator(_listed)]
"""A list (or tuple) of items, kept as a tuple."""
ItemList = Annotated[list[Item], BeforeValidator(_listed)]
"""A list (or tuple) of items, kept as a list."""
