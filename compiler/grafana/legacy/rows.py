"""Rows of a schemaVersion < 16 dashboard laid out on the 24-column grid, as Grafana's DashboardMigrator does.

Before Grafana 5 a dashboard was a list of rows, each with a height in pixels and panels sized by `span` (of 12).
Grafana's `upgradeToGridLayout` turns them into one flat `panels` list with `gridPos`: a span of 12 is 24 columns,
a height of `px` pixels is ceil(px / 38) grid units (a cell is GRID_CELL_HEIGHT 30 px plus GRID_CELL_VMARGIN 8 px,
at least 3 cells), panels fill a row from the left and wrap below when the row is full. If any row is collapsed,
repeated or shows its title, every row becomes a `row` panel (a collapsed one holding its panels); otherwise rows
only grouped panels and leave no trace. Row copies made by a repeat (`repeatIteration`) are dropped: Grafana
makes them again from the repeated row.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.legacy.notes import quoted
from compiler.grafana.legacy.values import number, pixels

GRID_COLUMNS = 24
_CELL_HEIGHT = 30
_CELL_MARGIN = 8
_MIN_PANEL_HEIGHT = _CELL_HEIGHT * 3
_DEFAULT_ROW_HEIGHT = 250
_DEFAULT_SPAN = 4
_WIDTH_PER_SPAN = GRID_COLUMNS // 12


def grid_height(height_px: Any) -> int:
    """Grid units for a legacy height in pixels (Grafana's getGridHeight)."""
    height = pixels(height_px)
    if height is None:
        height = _DEFAULT_ROW_HEIGHT
    return -(-max(height, _MIN_PANEL_HEIGHT) // (_CELL_HEIGHT + _CELL_MARGIN))


def rows_to_panels(rows: list[Any], choices: list[str]) -> list[dict[str, Any]]:
    """The flat `panels` list of a dashboard's legacy `rows`, sorted by position as Grafana sorts them on load."""
    rows = [row for row in rows if isinstance(row, dict)]
    next_id = 1 + _max_panel_id(rows)
    rows = [row for row in rows if row.get("repeatIteration") is None]
    show_rows = any(row.get("collapse") or row.get("showTitle") or row.get("repeat") for row in rows)
    panels: list[dict[str, Any]] = []
    y = 0
    for row in rows:
        row_height = grid_height(row.get("height"))
        collapsed = bool(row.get("collapse"))
        for panel in _row_panels(row):
            if panel.get("id") is None:
                panel["id"] = next_id
                next_id += 1
        row_panel = None
        if show_rows:
            row_panel = _row_panel(row, next_id, y, choices)
            next_id += 1
            y += 1
        area = _RowArea(row_height, y)
        for panel in _row_panels(row):
            _place(panel, area, row_height)
            y = area.y
            if row_panel is not None and collapsed:
                row_panel["panels"].append(panel)
            else:
                panels.append(panel)
        if row_panel is not None:
            panels.append(row_panel)
        if row_panel is None or not collapsed:
            y += row_height
    return sorted(panels, key=lambda panel: (panel["gridPos"]["y"], panel["gridPos"]["x"]))


def _max_panel_id(rows: list[dict[str, Any]]) -> int:
    """The largest panel id of every row, repeated copies included (new ids for rows and panels follow it)."""
    ids = [number(panel.get("id")) for row in rows for panel in _row_panels(row)]
    return int(max((panel_id for panel_id in ids if panel_id is not None), default=0))


def _row_panels(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [panel for panel in row.get("panels") or [] if isinstance(panel, dict)]


def _row_panel(row: dict[str, Any], panel_id: int, y: int, choices: list[str]) -> dict[str, Any]:
    """The `row` panel standing for a legacy row; 1 unit high, as Grafana's grid draws every row panel."""
    title = row.get("title") or ""
    if not row.get("showTitle") and not row.get("collapse"):
        choices.append(
            f"row {quoted(title)}: showTitle false, but another row shows its title, so it becomes a row panel "
            "whose title shows (Grafana's layout migration does the same)"
        )
    row_panel: dict[str, Any] = {
        "type": "row",
        "id": panel_id,
        "title": title,
        "collapsed": bool(row.get("collapse")),
        "gridPos": {"h": 1, "w": GRID_COLUMNS, "x": 0, "y": y},
        "panels": [],
    }
    if row.get("repeat"):
        row_panel["repeat"] = row["repeat"]
    return row_panel


def _place(panel: dict[str, Any], area: _RowArea, row_height: int) -> None:
    """Give a panel its `gridPos` in the row (and its `minSpan` in columns); its `span` and `height` go."""
    span = number(panel.pop("span", None))
    width = int((span if span is not None else _DEFAULT_SPAN) * _WIDTH_PER_SPAN)
    width = min(max(width, 1), GRID_COLUMNS)
    min_span = number(panel.get("minSpan"))
    if min_span is not None and min_span > 0:
        panel["minSpan"] = min(GRID_COLUMNS, int(_WIDTH_PER_SPAN * min_span))
    height_px = panel.pop("height", None)
    height = grid_height(height_px) if pixels(height_px) is not None else row_height
    x, y_in_area = area.position(width)
    grid_pos = {"h": height, "w": width, "x": x, "y": area.y + y_in_area}
    panel["gridPos"] = grid_pos
    area.add(grid_pos)


class _RowArea:
    """How far down each of the 24 columns a row is filled (Grafana's RowArea), to place the next panel."""

    def __init__(self, height: int, y: int) -> None:
        self.height = height
        self.y = y
        self.filled = [0] * GRID_COLUMNS

    def position(self, width: int) -> tuple[int, int]:
        """(x, y within the row) of the free run of columns at the row's right end; wraps when it is too narrow."""
        start, end = self._free_run()
        if start is None or end is None or end - start < width - 1:
            self.y += self.height
            self.filled = [0] * GRID_COLUMNS
            start, end = 0, GRID_COLUMNS - 1
        return start, max(self.filled[start:])

    def _free_run(self) -> tuple[int | None, int | None]:
        start: int | None = None
        end: int | None = None
        for column in range(GRID_COLUMNS - 1, -1, -1):
            if self.height - self.filled[column] <= 0:
                break
            if end is None:
                end = column
            elif self.filled[column] <= self.filled[column + 1]:
                start = column
            else:
                break
        return start, end

    def add(self, grid_pos: dict[str, int]) -> None:
        bottom = grid_pos["y"] + grid_pos["h"] - self.y
        for column in range(grid_pos["x"], min(grid_pos["x"] + grid_pos["w"], GRID_COLUMNS)):
            self.filled[column] = max(self.filled[column], bottom)
