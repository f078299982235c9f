"""v1's flat `panels` list → v2's `elements` (keyed `panel-<id>`) and `layout`.

A dashboard without row panels becomes a `GridLayout` at the same positions. One with rows becomes a
`RowsLayout`: each row a `RowsLayoutRow` holding a `GridLayout` whose `y` counts from just below the row (v1's
absolute `y` minus the row's and its one-unit header), as Grafana's own conversion does; panels above the first
row go into a first row with a hidden header. A collapsed row's panels (v1 nests them in the row) become its items.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from compiler.grafana.write_v2_kinds import Lost
from compiler.grafana.write_v2_panels import panel_element, panel_where

ROW_HEADER_HEIGHT = 1
_ROW_KEYS = frozenset(["type", "collapsed", "title", "gridPos", "id", "panels", "repeat", "datasource"])
"""What v2 holds of a row: its title, whether it is collapsed, its panels and repeat (its id and position are
v1 bookkeeping: v2 rows are ordered, not placed; the `datasource` exports keep on rows no Grafana since 5 reads)."""
_GRID_KEYS = frozenset(["x", "y", "w", "h"])


class PanelIds:
    """Each panel's id, as v1 Grafana settles them on load: a missing or repeated id gets the next free one."""

    def __init__(self, panels: list[Any]) -> None:
        self._taken: set[int] = set()
        self._next = 1 + max((_id(panel) or 0 for panel in _every_panel(panels)), default=0)

    def of(self, panel: dict[str, Any]) -> int:
        wanted = _id(panel)
        if wanted is None or wanted in self._taken:
            wanted = self._next
            self._next += 1
        self._taken.add(wanted)
        return wanted


def elements_and_layout(panels: list[Any], lost: Lost) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `elements` and `layout` of a dashboard's v1 panels."""
    ids = PanelIds(panels)
    elements: dict[str, Any] = {}
    plain = [panel for panel in panels if isinstance(panel, dict)]
    if not any(panel.get("type") == "row" for panel in plain):
        return elements, _grid([_item(panel, elements, ids, lost, row_y=None) for panel in plain])
    rows: list[dict[str, Any]] = []
    row: dict[str, Any] | None = None
    row_y = -ROW_HEADER_HEIGHT
    items: list[dict[str, Any]] = []
    for panel in plain:
        if panel.get("type") != "row":
            items.append(_item(panel, elements, ids, lost, row_y))
            continue
        if row is not None or items:
            rows.append(_row(row, items))
        row, row_y = panel, _grid_pos(panel).get("y", 0)
        lost.extra_keys(f"row {panel.get('title', '')!r}", panel, _ROW_KEYS)
        nested = [each for each in panel.get("panels") or [] if isinstance(each, dict)]
        items = [_item(each, elements, ids, lost, row_y) for each in nested]
    rows.append(_row(row, items))
    return elements, {"kind": "RowsLayout", "spec": {"rows": rows}}


def _item(
    panel: dict[str, Any], elements: dict[str, Any], ids: PanelIds, lost: Lost, row_y: int | None
) -> dict[str, Any]:
    """The panel's element, added to `elements`, and its `GridLayoutItem` (`y` from its row's top)."""
    panel_id = ids.of(panel)
    name = f"panel-{panel_id}"
    elements[name] = panel_element(panel, panel_id, lost)
    position = _grid_pos(panel)
    lost.extra_keys(f"{panel_where(panel)} gridPos", panel.get("gridPos") or {}, _GRID_KEYS)
    y = position.get("y", 0)
    spec: dict[str, Any] = {
        "x": position.get("x", 0),
        "y": y if row_y is None else max(0, y - row_y - ROW_HEADER_HEIGHT),
        "width": position.get("w", 6),
        "height": position.get("h", 3),
        "element": {"kind": "ElementReference", "name": name},
    }
    if panel.get("repeat"):
        repeat: dict[str, Any] = {"mode": "variable", "value": str(panel["repeat"])}
        if panel.get("repeatDirection") in ("h", "v"):
            repeat["direction"] = panel["repeatDirection"]
        if isinstance(panel.get("maxPerRow"), int) and panel["maxPerRow"] > 0:
            repeat["maxPerRow"] = panel["maxPerRow"]
        spec["repeat"] = repeat
    return {"kind": "GridLayoutItem", "spec": spec}


def _row(row: dict[str, Any] | None, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A `RowsLayoutRow`; `row` None is the header-less row of the panels above the first v1 row."""
    spec: dict[str, Any] = {"layout": _grid(items)}
    if row is None:
        spec.update({"title": "", "collapse": False, "hideHeader": True})
        return {"kind": "RowsLayoutRow", "spec": spec}
    spec.update({"title": str(row.get("title") or ""), "collapse": row.get("collapsed") is True})
    if row.get("repeat"):
        spec["repeat"] = {"mode": "variable", "value": str(row["repeat"])}
    return {"kind": "RowsLayoutRow", "spec": spec}


def _grid(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "GridLayout", "spec": {"items": items}}


def _grid_pos(panel: dict[str, Any]) -> dict[str, int]:
    position = panel.get("gridPos")
    if not isinstance(position, dict):
        return {}
    return {key: int(value) for key, value in position.items() if key in _GRID_KEYS and isinstance(value, int | float)}


def _id(panel: Any) -> int | None:
    value = panel.get("id") if isinstance(panel, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _every_panel(panels: list[Any]) -> Iterator[Any]:
    for panel in panels:
        yield panel
        if isinstance(panel, dict):
            yield from panel.get("panels") or []
