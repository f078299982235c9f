"""Point a finding at the exact source line: the keyword or the part of an expression it is about.

DSL objects record the lines their call spans (from the interpreter's own positions table, PEP 657); for other
locations the extent comes from the module's syntax tree. A finding about `for_=` or one selector of a
multi-line `expr` names the line inside it that holds that text.
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
    lines = _lines(location.path)
    end = location.end_line or _spans(location.path).get(location.line, location.line)
    for number in range(location.line, min(end, len(lines)) + 1):
        if matches(lines[number - 1]):
            return SourceLocation(location.path, number)
    return location


@lru_cache(maxsize=1024)
def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return []


@lru_cache(maxsize=256)
def _spans(path: Path) -> dict[int, int]:
    """For each line where a call or statement starts, the last line of the longest one. Only for locations
    that did not record their end (a dashboard is located by its assignment, not by a call)."""
    try:
        tree = ast.parse("\n".join(_lines(path)))
    except (SyntaxError, ValueError):
        return {}
    spans: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call | ast.stmt) and node.end_lineno is not None:
            spans[node.lineno] = max(spans.get(node.lineno, node.lineno), node.end_lineno)
    return spans
