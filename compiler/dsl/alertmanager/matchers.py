"""Alertmanager's label matchers: `severity="critical"`, `team=~"db|infra"`, read and applied as it does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from compiler.dsl.alertmanager.go_regex import go_regex
from compiler.dsl.syntax import LABEL_NAME

_GO_BLANK = "[\t\n\f\r ]"
"""Go's `\\s`: the blanks Alertmanager's matcher syntax allows around the name, the operator and the value."""
_MATCHER = re.compile(
    rf"{_GO_BLANK}*([a-zA-Z_:][a-zA-Z0-9_:]*){_GO_BLANK}*(=~|!~|!=|=){_GO_BLANK}*(.*?){_GO_BLANK}*", re.DOTALL
)
_OPERATORS = ("=", "!=", "=~", "!~")
_ESCAPES = {"n": "\n", '"': '"', "\\": "\\"}


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
            except ValueError as error:
                raise ValueError(f"matcher {self}: invalid regular expression: {error}") from None

    @property
    def is_regex(self) -> bool:
        return self.operator in ("=~", "!~")

    @property
    def is_negative(self) -> bool:
        return self.operator in ("!=", "!~")

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Alertmanager's `^(?:regex)$` with Go's syntax and semantics (`go_regex.py`), searched for."""
        return go_regex(self.value)

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.name, "")
        found = self.pattern.search(value) is not None if self.is_regex else value == self.value
        return found != self.is_negative

    def __str__(self) -> str:
        """Alertmanager's own text form, the value always quoted."""
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'{self.name}{self.operator}"{escaped}"'


def parse_matcher(text: str) -> Matcher:
    """One matcher as Alertmanager's configuration writes it (pkg/labels/parse.go `ParseMatcher`): `name="value"`,
    the quotes optional; `\\"`, `\\\\` and `\\n` are escapes, quoted or not, any other backslash is itself."""
    if not isinstance(text, str):
        raise ValueError(f"a matcher is a string such as 'severity=\"critical\"', got {text!r}")
    found = _MATCHER.fullmatch(text)
    if found is None:
        raise ValueError(f'matcher {text!r}: expected name="value", name!="value", name=~"regex" or name!~"regex"')
    name, operator, value = found.groups()
    if not value.startswith('"') and any(character in value for character in '"{},'):
        raise ValueError(f"matcher {text!r}: quote a value that holds '\"', '{{', '}}' or ','")
    return Matcher(name, operator, _unescaped(value, text))


def parse_matchers(text: str) -> list[Matcher]:
    """Every matcher of one item of a configuration's `matchers:` list, as Alertmanager reads it
    (pkg/labels/parse.go `ParseMatchers`): `{a="1", b=~"2"}` or without the braces, commas inside quotes not
    separating. An empty one between two commas is refused, as there; a comma at the end is allowed."""
    inner = text.removeprefix("{").removesuffix("}")
    tokens: list[str] = []
    token: list[str] = []
    quoted = escaped = False
    for character in inner:
        if character == "," and not quoted:
            tokens.append("".join(token))
            token = []
            continue
        if character == '"' and not escaped:
            quoted = not quoted
        if character == "\\":
            escaped = not escaped
        elif character != ",":
            escaped = False
        token.append(character)
    last = "".join(token)
    if last.strip():
        tokens.append(last.strip())
    return [parse_matcher(token) for token in tokens]


def _unescaped(value: str, text: str) -> str:
    """The value without its quotes and escapes; the quotes, when it has them, must be its first and last
    characters."""
    quoted = value.startswith('"')
    raw = value[1:] if quoted else value
    unescaped: list[str] = []
    escaped = False
    for index, character in enumerate(raw):
        last = index == len(raw) - 1
        if escaped:
            escaped = False
            unescaped.append(_ESCAPES.get(character, "\\" + character))
        elif character == "\\":
            if last:
                unescaped.append(character)
            else:
                escaped = True
        elif character == '"':
            if not (quoted and last):
                raise ValueError(f'matcher {text!r}: escape a quote inside the value as \\"')
            quoted = False
        else:
            unescaped.append(character)
    if quoted:
        missing = "is escaped, so it is missing" if raw.endswith('"') else "is missing"
        raise ValueError(f"matcher {text!r}: the value's closing quote {missing}")
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
