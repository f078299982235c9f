"""Go text/template delimiters as Go's own lexer reads them, to refuse at the author's line what Prometheus refuses.

The rules followed (text/template/parse/lex.go, as in the Go that builds Prometheus 2.42):
- outside an action everything is text, a stray `}}` included; `{{` opens an action;
- `{{- ` and ` -}}` (a minus with a blank on the inside) are trim markers, part of the delimiters;
- right after `{{` (or `{{- `) a `/*` opens a comment, which must end with `*/` directly before `}}` or ` -}}`;
- inside an action `}}` closes it except within a quoted string ("…", with `\\` escapes and no newline),
  a raw string (`…`, newlines allowed) or a character constant ('…'); parentheses must pair up.
Only these lexical rules are checked; promtool, run on every build, parses the rest.
"""

from __future__ import annotations

_LEFT, _RIGHT = "{{", "}}"
_BLANKS = (" ", "\t", "\r", "\n")
_QUOTES = {'"': "quoted string", "`": "raw quoted string", "'": "character constant"}


def check_template(text: str) -> str:
    """Refuse a template whose actions Go's lexer cannot delimit; return it unchanged."""
    position = text.find(_LEFT)
    while position != -1:
        position = text.find(_LEFT, _end_of_action(text, position))
    return text


def _end_of_action(text: str, opening: int) -> int:
    """Index just past the `}}` closing the action whose `{{` is at `opening`."""
    index = opening + len(_LEFT)
    if text.startswith("-", index) and text[index + 1 : index + 2] in _BLANKS:
        index += 2
    if text.startswith("/*", index):
        return _end_of_comment(text, index)
    depth = 0
    while index < len(text):
        if text.startswith(_RIGHT, index):
            if depth:
                raise ValueError(f"invalid template: unclosed left paren in the action at offset {opening}")
            return index + len(_RIGHT)
        char = text[index]
        if char in _QUOTES:
            index = _end_of_quoted(text, index)
            continue
        if text.startswith(_LEFT, index):
            raise ValueError(f"unbalanced template: '{{{{' inside an action at offset {index}")
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError(f"invalid template: unexpected right paren at offset {index}")
        index += 1
    raise ValueError(f"unbalanced template: '{{{{' at offset {opening} is never closed")


def _end_of_comment(text: str, start: int) -> int:
    """Past the `}}` after a comment `/* … */`, which must close its action right away."""
    closing = text.find("*/", start + 2)
    if closing == -1:
        raise ValueError(f"invalid template: unclosed comment at offset {start}")
    index = closing + 2
    if text[index : index + 1] in _BLANKS and text.startswith("-" + _RIGHT, index + 1):
        index += 2
    if not text.startswith(_RIGHT, index):
        raise ValueError(f"invalid template: comment ends before closing delimiter at offset {index}")
    return index + len(_RIGHT)


def _end_of_quoted(text: str, start: int) -> int:
    """Past the closing quote of the string or character constant opening at `start`."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == quote:
            return index + 1
        if quote != "`":
            if char == "\n":
                break
            if char == "\\":
                index += 1
                if text[index : index + 1] in ("", "\n"):
                    break
        index += 1
    raise ValueError(f"invalid template: unterminated {_QUOTES[quote]} at offset {start}")
