"""Field types the Alertmanager DSL objects share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, InstanceOf, PlainSerializer

from compiler.dsl.alertmanager.matchers import Matcher, parse_matcher


def _matcher(value: object) -> Matcher:
    if isinstance(value, Matcher):
        return value
    if not isinstance(value, str):
        raise ValueError(f"a matcher is a string such as 'severity=\"critical\"', got {value!r}")
    return parse_matcher(value)


MatcherField = Annotated[InstanceOf[Matcher], BeforeValidator(_matcher), PlainSerializer(str, return_type=str)]
"""A matcher written as Alertmanager writes it, `'severity="critical"'`, kept parsed."""


def as_tuple(values: object) -> object:
    """A tuple of a list or tuple; anything else (a lone string, say) is left for validation to refuse."""
    return tuple(values) if isinstance(values, list | tuple) else values
