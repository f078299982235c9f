"""Place panels on Grafana's 24-column grid without overlaps, and give every panel a unique id.

Panels the author positioned (`gridPos=`) stay exactly where they are; the rest flow left to right in the
order written, wrapping when the row is full and skipping occupied cells. A row starts below everything
placed before it. A collapsed row's panels are laid out below the row, on their own grid.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from compiler.model.dashboards.problems import PanelProblems

GRID_WIDTH = 24
_SMALL_TYPES = frozenset({"stat", "gauge", "bargauge", "text"})
_PIXELS = re.compile(r"(\d+)\s*px")
_GRID_ROW_PIXELS = 30


@dataclass
class _Grid:
    occupied: list[tuple[int, int, int, int]]
    x: int = 0
    y: int = 0
    line_bottom: int = 0

    def free(self, x: int, y: int, w: int, h: int) -> bool:
        return all(x + w <= ox or ox + ow <= x or y + h <= oy or oy + oh <= y for ox, oy, ow, oh in self.occupied)

    @property
    def bottom(self) -> int:
        return max([self.line_bottom, *(oy + oh for _, oy, _, oh in self.occupied)])

    def flow(self, w: int, h: int) -> dict[str, int]:
        if self.x + w > GRID_WIDTH:
            self.x, self.y = 0, self.line_bottom
        while not self.free(self.x, self.y, w, h):
            self.x += 1
            if self.x + w > GRID_WIDTH:
                self.x, self.y = 0, self.y + 1
        position = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.occupied.append((self.x, self.y, w, h))
        self.x += w
        self.line_bottom = max(self.line_bottom, self.y + h)
        return position

    def new_line(self, y: int) -> None:
        self.x, self.y, self.line_bottom = 0, y, y


def lay_out(panels: list[dict[str, Any]], problems: PanelProblems) -> list[dict[str, Any]]:
    """Give every panel (rows and their panels included) a `gridPos`; drop the `span`/`height` sizing hints."""
    grid = _Grid(_fixed(panels, problems))
    for panel in panels:
        if panel.get("type") == "row":
            if "gridPos" not in panel:
                grid.new_line(grid.bottom)
                panel["gridPos"] = grid.flow(GRID_WIDTH, 1)
                grid.new_line(grid.bottom)
            inner = _Grid(_fixed(panel["panels"], problems))
            inner.new_line(panel["gridPos"]["y"] + 1)
            for child in panel["panels"]:
                _place(child, inner)
        else:
            _place(panel, grid)
    return panels


def assign_ids(panels: list[dict[str, Any]], problems: PanelProblems) -> None:
    """Keep ids the author gave (reporting duplicates); number the rest from 1, skipping those taken."""
    everything = [item for panel in panels for item in (panel, *panel.get("panels", []))]
    taken: dict[int, dict[str, Any]] = {}
    for panel in everything:
        given = panel.get("id")
        if isinstance(given, int):
            if given in taken:
                problems.add(panel, f"id {given} is also the id of {taken[given].get('title')!r}; ids must be unique")
            taken.setdefault(given, panel)
    free = (number for number in itertools.count(1) if number not in taken)
    for panel in everything:
        if not isinstance(panel.get("id"), int):
            panel["id"] = next(free)


def grid_size(panel: dict[str, Any]) -> tuple[int, int]:
    """Width and height in grid units from grafanalib's `span` (of 12) and `height` (rows or pixels)."""
    span, height = panel.get("span"), panel.get("height")
    small = panel.get("type") in _SMALL_TYPES
    width = min(GRID_WIDTH, max(1, round(float(span) * 2))) if isinstance(span, int | float) else (6 if small else 12)
    if isinstance(height, int | float):
        rows = max(1, int(height))
    elif isinstance(height, str) and (pixels := _PIXELS.fullmatch(height.strip())):
        rows = max(1, round(int(pixels[1]) / _GRID_ROW_PIXELS))
    else:
        rows = 4 if small else 8
    return width, rows


def _fixed(panels: list[dict[str, Any]], problems: PanelProblems) -> list[tuple[int, int, int, int]]:
    occupied: list[tuple[int, int, int, int]] = []
    for panel in panels:
        position = panel.get("gridPos")
        if not isinstance(position, dict):
            continue
        rect = (int(position["x"]), int(position["y"]), int(position["w"]), int(position["h"]))
        probe = _Grid(occupied)
        if not probe.free(*rect):
            problems.add(panel, f"gridPos {position} overlaps another panel's gridPos; move one of them")
        occupied.append(rect)
    return occupied


def _place(panel: dict[str, Any], grid: _Grid) -> None:
    if "gridPos" not in panel:
        panel["gridPos"] = grid.flow(*grid_size(panel))
    for key in ("span", "height"):
        panel.pop(key, None)
