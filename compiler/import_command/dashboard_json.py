"""Read one Grafana dashboard JSON file: parsed, shape-checked, and every object's line remembered.

The standard library's JSON parser forgets where things were; problems must name the input file and line
(`grafana/api.json:42: panel 'Latency': ...`), so objects are parsed with the pure-Python scanner, whose
object parser can be wrapped to note the line each `{` opens on.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from json.decoder import JSONObject  # type: ignore[attr-defined]
from json.scanner import py_make_scanner  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from compiler.import_command.dashboard_shape import DASHBOARD_FIELDS, PANEL_FIELDS, shape_messages
from compiler.import_command.input_files import MAX_NESTING, file_problem, read_input_text
from compiler.problems import CompileError, Problem, SourceLocation


@dataclass(frozen=True)
class DashboardFile:
    """A dashboard read from `path`: its JSON object, and the line every JSON object in it starts on."""

    path: Path
    document: dict[str, Any]
    lines: dict[int, int] = field(repr=False)
    """`id()` of each parsed JSON object → its line; the objects live as long as `document`."""

    def at(self, value: Any) -> SourceLocation:
        """Where `value` (an object of this file) starts; the dashboard's own line for anything else."""
        return SourceLocation(self.path, self.lines.get(id(value), self.lines.get(id(self.document), 1)))

    def problem(self, value: Any, message: str) -> Problem:
        return Problem(message, self.at(value))


class _LocatingDecoder(json.JSONDecoder):
    """A decoder that records the line of every object it parses."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self._line_starts = [0, *(index + 1 for index, char in enumerate(text) if char == "\n")]
        self.parse_object = self._parse_object
        self.scan_once = py_make_scanner(self)

    def _parse_object(self, state: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = JSONObject(state, *args)
        self.lines[id(value)] = self._line(state[1] - 1)
        return value, end

    def _line(self, offset: int) -> int:
        low, high = 0, len(self._line_starts)
        while high - low > 1:
            middle = (low + high) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle
        return low + 1


def read_dashboard(path: Path) -> DashboardFile:
    """The dashboard in `path`, or a `CompileError` naming the file and line of what is wrong with it.

    Grafana's "export" and its HTTP API wrap the dashboard as `{"dashboard": {...}, "meta": {...}}`; the wrapper
    is taken off.
    """
    text = read_input_text(path)
    decoder = _LocatingDecoder(text)
    try:
        document = decoder.decode(text)
    except json.JSONDecodeError as error:
        where = SourceLocation(path, error.lineno)
        raise CompileError([Problem(f"not JSON: {error.msg} at column {error.colno}", where)]) from None
    except RecursionError:
        raise file_problem(path, f"nested more than {MAX_NESTING} levels deep") from None
    except ValueError:
        digits = sys.get_int_max_str_digits()
        raise file_problem(path, f"not JSON moncc can read: a number has more than {digits} digits") from None
    if _deeper_than(document, MAX_NESTING):
        raise file_problem(path, f"nested more than {MAX_NESTING} levels deep")
    if isinstance(document, dict) and isinstance(document.get("dashboard"), dict) and "panels" not in document:
        document = document["dashboard"]
    dashboard = DashboardFile(path, document, decoder.lines)
    problems = list(_shape_problems(dashboard))
    if problems:
        raise CompileError(problems)
    return dashboard


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep; without recursion, as the input may nest deeply."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list) and depth >= limit:
            return True
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


def _shape_problems(dashboard: DashboardFile) -> list[Problem]:
    """What makes the JSON not a dashboard moncc can import: the checks the importer relies on."""
    document = dashboard.document
    if not isinstance(document, dict):
        return [Problem("not a Grafana dashboard: expected a JSON object", SourceLocation(dashboard.path, 1))]
    problems: list[Problem] = []
    if not isinstance(document.get("title"), str) or not document["title"].strip():
        problems.append(dashboard.problem(document, "not a Grafana dashboard: it has no title"))
    problems.extend(dashboard.problem(document, message) for message in shape_messages(document, DASHBOARD_FIELDS))
    panels = document.get("panels")
    rows = document.get("rows")
    if not isinstance(panels, list) and not (isinstance(rows, list) and rows):
        problems.append(dashboard.problem(document, "not a Grafana dashboard: it has no panels list"))
        return problems
    for panel in panels or []:
        problems.extend(_panel_problems(dashboard, panel, nested=False))
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict) or not isinstance(row.get("panels", []), list):
            problems.append(dashboard.problem(document, "rows: each row must be an object with a panels list"))
            continue
        problems.extend(
            problem for panel in row.get("panels", []) for problem in _panel_problems(dashboard, panel, nested=True)
        )
    return problems


def _panel_problems(dashboard: DashboardFile, panel: Any, nested: bool) -> list[Problem]:
    if not isinstance(panel, dict):
        return [dashboard.problem(dashboard.document, f"a panel must be a JSON object, got {panel!r}")]
    if not isinstance(panel.get("type"), str):
        return [dashboard.problem(panel, f"panel {panel.get('title')!r} has no type")]
    shapes = [
        dashboard.problem(panel, f"panel {panel.get('title')!r}: {message}")
        for message in shape_messages(panel, PANEL_FIELDS)
    ]
    if shapes or panel["type"] != "row":
        return shapes
    if nested:
        return [dashboard.problem(panel, f"row {panel.get('title')!r} is inside another row")]
    children = panel.get("panels", [])
    if not isinstance(children, list):
        return [dashboard.problem(panel, f"row {panel.get('title')!r}: panels must be a list")]
    return [problem for child in children for problem in _panel_problems(dashboard, child, nested=True)]
