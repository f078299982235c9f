"""Alertmanager's label matchers: `severity="critical"`, `team=~"db|infra"`, read and applied as it does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from compiler.dsl.syntax import LABEL_NAME

_MATCHER = re.compile(r"\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*", re.DOTALL)
_OPERATORS = ("=", "!=", "=~", "!~")


@dataclass(frozen=True)
class Matcher:
    """One matcher; a label an alert does not carry reads as the empty string, as in Alertmanager."""

    name: str
    operator: str
    value: str

    def __post_init__(self) -> None:
        if not LABEL_NAME.fullmatch(self.name):
            raise ValueError(f"matcher {self.name!r}: not a valid label name")
        if self.operator not in _OPERATORS:
            raise ValueError(f"matcher {self.name}{self.operator}: the operator must be one of {', '.join(_OPERATORS)}")
        if self.is_regex:
            try:
                self.pattern  # noqa: B018 - compiling is the check
            except re.error as error:
                raise ValueError(f"matcher {self}: invalid regular expression: {error}") from None

    @property
    def is_regex(self) -> bool:
        return self.operator in ("=~", "!~")

    @property
    def is_negative(self) -> bool:
        return self.operator in ("!=", "!~")

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Applied to the whole value, as Alertmanager's `^(?:regex)$`: `.` stops at a line break, and a flag
        such as `(?i)` may lead the expression (wrapped in a group, Python would refuse it)."""
        return re.compile(self.value)

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.name, "")
        found = self.pattern.fullmatch(value) is not None if self.is_regex else value == self.value
        return found != self.is_negative

    def __str__(self) -> str:
        """Alertmanager's own text form, the value always quoted."""
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'{self.name}{self.operator}"{escaped}"'


def parse_matcher(text: str) -> Matcher:
    """A matcher as Alertmanager's configuration writes it: `name="value"` (the quotes optional)."""
    if not isinstance(text, str):
        raise ValueError(f"a matcher is a string such as 'severity=\"critical\"', got {text!r}")
    found = _MATCHER.fullmatch(text)
    if found is None:
        raise ValueError(f'matcher {text!r}: expected name="value", name!="value", name=~"regex" or name!~"regex"')
    name, operator, value = found.groups()
    return Matcher(name, operator, _unquoted(value, text))


def _unquoted(value: str, text: str) -> str:
    if not value.startswith('"'):
        if any(character in value for character in '"{},'):
            raise ValueError(f"matcher {text!r}: quote a value that holds '\"', '{{', '}}' or ','")
        return value
    if len(value) < 2 or not value.endswith('"'):
        raise ValueError(f"matcher {text!r}: the value's closing quote is missing")
    inner = value[1:-1]
    unescaped: list[str] = []
    characters = iter(inner)
    for character in characters:
        if character == '"':
            raise ValueError(f'matcher {text!r}: escape a quote inside the value as \\"')
        if character == "\\":
            following = next(characters, "")
            if not following:
                raise ValueError(f"matcher {text!r}: the value's closing quote is escaped, so it is missing")
            unescaped.append({"n": "\n", '"': '"', "\\": "\\"}.get(following, "\\" + following))
        else:
            unescaped.append(character)
    return "".join(unescaped)


def matches_all(matchers: tuple[Matcher, ...], labels: Mapping[str, str]) -> bool:
    return all(matcher.matches(labels) for matcher in matchers)


def implied_by(matcher: Matcher, others: tuple[Matcher, ...]) -> bool:
    """Whether every label set that satisfies `others` also satisfies `matcher` (as far as moncc can tell:
    the same matcher, or an equality matcher on the same label whose value `matcher` accepts)."""
    return any(
        other == matcher
        or (other.name == matcher.name and other.operator == "=" and matcher.matches({other.name: other.value}))
        for other in others
    )
