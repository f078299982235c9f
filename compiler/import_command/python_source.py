"""Python source for generated modules: literals, calls and imports, laid out the way a person would write them.

Calls are built as `Call` values and rendered with their nesting depth known, so long strings can be split
where a reader expects (at line breaks and spaces) and multi-line PromQL keeps its own lines. `ruff format`
finishes the layout when the module is written; it never changes what a string holds.
"""

from __future__ import annotations

import keyword
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

INDENT = "    "
_KEYWORD_ROOM = 16
"""Room kept on a line for the `keyword=` before a value and the comma after it."""


@dataclass(frozen=True)
class Block:
    """A multi-line string written as a triple-quoted block, indented with the code around it; for values
    the DSL dedents (PromQL expressions), so the indentation is layout, not content."""

    text: str


@dataclass(frozen=True)
class Comment:
    """A `# text` line among the items of a list, saying what was left out and why."""

    text: str


@dataclass(frozen=True)
class Call:
    """`function(arguments..., keyword=value...)`; keywords whose value is None are left out."""

    function: str
    arguments: Sequence[object] = ()
    keywords: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Renderer:
    """Renders values at a given depth and remembers which functions the module calls, for its imports."""

    width: int
    """The line length strings are split to fit."""
    called: set[str] = field(default_factory=set)

    def render(self, value: object, depth: int) -> str:
        if isinstance(value, Call):
            return self._call(value, depth)
        if isinstance(value, Block):
            return self._block(value.text, depth)
        if isinstance(value, Comment):
            lines = textwrap.wrap(value.text, max(self.width - len(INDENT * depth) - 2, 40))
            return f"\n{INDENT * depth}".join(f"# {line}" for line in lines)
        if isinstance(value, str):
            return self._string(value, depth)
        if isinstance(value, Mapping):
            items = [f"{self.render(key, depth + 1)}: {self.render(item, depth + 1)}" for key, item in value.items()]
            return self._bracketed("{", items, "}", depth)
        if isinstance(value, list | tuple):
            return self._bracketed("[", [self.render(item, depth + 1) for item in value], "]", depth)
        if isinstance(value, float) and not math.isfinite(value):
            return f'float("{value}")'
        if isinstance(value, bool | int | float) or value is None:
            return repr(value)
        raise TypeError(f"cannot write {type(value).__name__} as Python source")

    def _call(self, call: Call, depth: int) -> str:
        self.called.add(call.function)
        items = [self.render(argument, depth + 1) for argument in call.arguments]
        items += [
            f"{name}={self.render(value, depth + 1)}" for name, value in call.keywords.items() if value is not None
        ]
        return self._bracketed(f"{call.function}(", items, ")", depth)

    def _bracketed(self, opening: str, items: list[str], closing: str, depth: int) -> str:
        """On one line when it fits and holds no line break; else one item per line with a trailing comma,
        which keeps `ruff format` from joining them again."""
        inline = f"{opening}{', '.join(items)}{closing}"
        commented = any(item.startswith("# ") for item in items)
        if not commented and "\n" not in inline and self._fits(inline, depth):
            return inline
        inner = INDENT * (depth + 1)
        body = "".join(f"{inner}{item}{'' if item.startswith('# ') else ','}\n" for item in items)
        return f"{opening}\n{body}{INDENT * depth}{closing}"

    def _fits(self, text: str, depth: int) -> bool:
        return len(INDENT * depth) + len(text) + _KEYWORD_ROOM <= self.width

    def _string(self, text: str, depth: int) -> str:
        """A literal; one too long for a line, or holding line breaks, as implicitly joined pieces."""
        if "\n" not in text.rstrip("\n") and self._fits(quoted(text), depth):
            return quoted(text)
        room = self.width - len(INDENT * (depth + 1)) - 3
        pieces = [piece for line in text.splitlines(keepends=True) for piece in _split_at_spaces(line, room)]
        if len(pieces) == 1:
            return quoted(text)
        inner = INDENT * (depth + 1)
        body = "".join(f"{inner}{quoted(piece)}\n" for piece in pieces)
        return f"(\n{body}{INDENT * depth})"

    def _block(self, text: str, depth: int) -> str:
        quote = next((quote for quote in ('"""', "'''") if quote not in text), None)
        if "\n" not in text or quote is None or not all(line.isprintable() for line in text.splitlines()):
            return self._string(text, depth)
        inner = INDENT * (depth + 1)
        lines = [f"{inner}{line}" if line else "" for line in text.splitlines()]
        prefix = "r" if "\\" in text else ""
        return prefix + quote + "\n" + "\n".join(lines) + "\n" + INDENT * depth + quote


def _split_at_spaces(text: str, room: int) -> list[str]:
    """`text` in pieces of at most `room` characters, each ending after a space (a longer word stays whole);
    a `{{ template action }}` counts as one word."""
    words: list[str] = []
    for word in re.split(r"(?<= )(?=[^ ])", text):
        if words and words[-1].count("{{") > words[-1].count("}}"):
            words[-1] += word
        else:
            words.append(word)
    pieces: list[str] = []
    for word in words:
        if pieces and len(pieces[-1]) + len(word) <= room:
            pieces[-1] += word
        else:
            pieces.append(word)
    return pieces


def quoted(text: str) -> str:
    """A string literal; raw when it holds backslashes (PromQL regular expressions read better that way)."""
    if "\\" in text and text.isprintable() and not text.endswith("\\"):
        for quote in ('"', "'"):
            if quote not in text:
                return f"r{quote}{text}{quote}"
    return repr(text)


def import_line(module: str, names: set[str]) -> str:
    """`from module import ...` sorted as isort (and ruff) sort: constants, classes, then functions."""

    def order(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    return f"from {module} import {', '.join(sorted(names, key=order))}"


def identifier(text: str, taken: set[str], fallback: str) -> str:
    """A snake_case Python name for `text` that is not yet `taken` (and is then taken): `kubePrometheus-rules`
    becomes `kube_prometheus_rules`. Never starts with `_` (the loader skips such names) or a digit."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text)
    name = re.sub(r"[^0-9a-zA-Z]+", "_", spaced).strip("_").lower() or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name = f"{name}_{fallback}"
    unique, counter = name, 2
    while unique in taken:
        unique, counter = f"{name}_{counter}", counter + 1
    taken.add(unique)
    return unique


def module_source(
    docstring: str, assignments: Sequence[tuple[str, object]], width: int, notes: Sequence[str] = ()
) -> str:
    """A module: docstring, one import line for the DSL names it calls, `notes` as comments (what was left
    out), then `name = value` per assignment, laid out for lines of `width` characters."""
    renderer = Renderer(width)
    body = "".join(f"\n{name} = {renderer.render(value, 0)}\n" for name, value in assignments)
    imports = f"\n{import_line('compiler.dsl', renderer.called)}\n" if renderer.called else ""
    comments = "".join(f"\n{renderer.render(Comment(note), 0)}\n" for note in notes)
    return f"{docstring_literal(docstring)}\n{imports}{comments}{body}"


def docstring_literal(text: str) -> str:
    """A triple-quoted docstring when the text allows one (a path on a line of its own stays readable)."""
    if '"""' in text or "\\" in text or not all(line.isprintable() for line in text.splitlines()):
        return quoted(text)
    return f'"""{text}\n"""' if "\n" in text else f'"""{text}"""'
