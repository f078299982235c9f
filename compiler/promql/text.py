"""PromQL source text as Prometheus' lexer reads it: string literals, comments, and the blanks between tokens.

Python sources hold expressions in indented triple-quoted strings. moncc removes that layout, but must never
change a character inside a string literal: a quoted string may hold any character but a newline (`\\r`, `\\x0c`,
`\\x85` and `\\u2028` among them, which `str.splitlines` and `str.strip` treat as line breaks or blanks), and a
raw string (backquotes) may even span lines.
"""

from __future__ import annotations

import re

_LEXEMES = re.compile(
    r"""(?P<literal>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`[^`]*`?)|(?P<comment>\#[^\r\n]*)""", re.DOTALL
)
"""String literals and comments (to `\\r` or `\\n`, as Prometheus ends them); an unterminated quoted string ends at its
line, as Prometheus reports it."""

_BLANKS = " \t\r"
"""Prometheus' whitespace besides the newline: the only characters removed from a line's ends."""

_FOREIGN_BLANK = re.compile(r"[^\S \t\r\n]")
"""Whitespace to Python (and to the PromQL parser moncc uses) that Prometheus' lexer refuses between tokens."""

STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
"""A whole quoted string, line breaks allowed: what a dashboard query or a template action holds between quotes."""


def normalize_expr(expr: str) -> str:
    """The author's expression without the indentation common to its lines and without blanks at line ends,
    outside string literals only, so Prometheus reads exactly the expression the author wrote."""
    literals = [match.span() for match in _LEXEMES.finditer(expr) if match.lastgroup == "literal"]

    def inside_literal(offset: int) -> bool:
        return any(start < offset < end for start, end in literals)

    lines: list[tuple[str, bool, bool]] = []
    offset = 0
    for text in expr.split("\n"):
        end = offset + len(text)
        lines.append((text, inside_literal(offset), inside_literal(end)))
        offset = end + 1
    indented = [_indentation(text) for text, continued, _ in lines if not continued and text.strip(_BLANKS)]
    margin = _common_prefix(indented)
    kept = []
    for text, continued, continues in lines:
        if not continued:
            text = text[len(margin) :] if text.strip(_BLANKS) else ""
        kept.append(text if continues else text.rstrip(_BLANKS))
    return "\n".join(kept).strip(_BLANKS + "\n")


def lexical_error(expr: str) -> str | None:
    """What Prometheus' lexer refuses although the PromQL parser moncc uses accepts it, or None.

    Prometheus reads only space, tab, `\\r` and `\\n` as blanks (the parser here: every Unicode space), and
    refuses U+FFFD in a string literal, which its lexer cannot tell from invalid UTF-8.
    """
    if "\ufffd" not in expr and not _FOREIGN_BLANK.search(expr):
        return None
    offset = 0
    for match in [*_LEXEMES.finditer(expr), None]:
        blank = _FOREIGN_BLANK.search(expr, offset, match.start() if match else len(expr))
        if blank:
            return f"unexpected character {blank.group()!r} at offset {blank.start()}: not a blank to Prometheus"
        if match is None:
            return None
        replacement = match.group().find("\ufffd")
        if match.lastgroup == "literal" and replacement != -1:
            return f"U+FFFD at offset {match.start() + replacement}: Prometheus reads it as invalid UTF-8"
        offset = match.end()
    return None


def for_parser(expr: str) -> str:
    """The expression with each raw string that holds a backslash written as the equal double-quoted string.

    Prometheus reads no escapes in a raw string; the PromQL parser moncc uses does, and would refuse `\\d` there.
    """
    if "`" not in expr or "\\" not in expr:
        return expr
    return _LEXEMES.sub(_unraw, expr)


def _unraw(match: re.Match[str]) -> str:
    lexeme = match.group()
    if not lexeme.startswith("`") or "\\" not in lexeme or len(lexeme) < 2 or not lexeme.endswith("`"):
        return lexeme
    value = lexeme[1:-1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{value}"'


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _common_prefix(texts: list[str]) -> str:
    """What all texts start with (the smallest and the largest text share what all share)."""
    if not texts:
        return ""
    first, last = min(texts), max(texts)
    length = next((index for index, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first))
    return first[:length]
