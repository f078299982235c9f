"""Point a finding at the exact source line: the keyword or the part of an expression it is about.

DSL objects record the line where their call starts; the call's extent comes from the module's syntax tree,
and a finding about `for_=` or one selector of a multi-line `expr` names the line inside it that holds that text.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from compiler.problems import SourceLocation


def keyword_line(location: SourceLocation, keyword: str) -> SourceLocation:
    """The line of `keyword=` within the call that starts at `location`, else the call's own line."""
    pattern = re.compile(rf"\b{re.escape(keyword)}\s*=(?!=)")
    return _first_line(location, pattern.search)


def text_line(location: SourceLocation, text: str) -> SourceLocation:
    """The first line within the call that starts at `location` that contains `text`, else the call's line."""
    return _first_line(location, lambda line: text in line)


def _first_line(location: SourceLocation, matches: Callable[[str], object]) -> SourceLocation:
    lines, spans = _parsed(location.path)
    end = spans.get(location.line, location.line)
    for number in range(location.line, min(end, len(lines)) + 1):
        if matches(lines[number - 1]):
            return SourceLocation(location.path, number)
    return location


@lru_cache(maxsize=256)
def _parsed(path: Path) -> tuple[list[str], dict[int, int]]:
    """The file's lines, and for each line where a call or statement starts, the last line of the longest one."""
    try:
        text = path.read_text()
        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return [], {}
    spans: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call | ast.stmt) and node.end_lineno is not None:
            spans[node.lineno] = max(spans.get(node.lineno, node.lineno), node.end_lineno)
    return text.splitlines(), spans
