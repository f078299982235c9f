"""The AngularJS table (`table` before schemaVersion 24, or `table-old`) migrated to the modern `table`.

Follows Grafana's `tablePanelChangedHandler`: the style of pattern "/.*/" becomes the field defaults, every other
style an override matched by name or, for a /regex/, by regexp (alias → displayName, unit, decimals, date format
→ a `time:` unit, hidden → custom.hidden, a link, colorMode → the cell's color display, thresholds and colors →
threshold steps, align); the `transform` becomes a transformation (series to rows or columns, merge of tables,
aggregations → reduce with the `columns` as reducers).
"""

from __future__ import annotations

import re
from typing import Any

from compiler.grafana.legacy.notes import PanelNotes, quoted
from compiler.grafana.legacy.values import mapping, number

_DEFAULT_PATTERN = "/.*/"
_TRANSFORMS = {
    "timeseries_to_rows": "seriesToRows",
    "timeseries_to_columns": "seriesToColumns",
    "timeseries_aggregations": "reduce",
    "table": "merge",
}
_COLUMN_REDUCERS = {
    "avg": "mean",
    "min": "min",
    "max": "max",
    "total": "sum",
    "current": "lastNotNull",
    "count": "count",
}
_CELL_COLORS = {"cell": "color-background", "row": "color-background", "value": "color-text"}


def is_angular_table(panel: dict[str, Any], schema_version: int) -> bool:
    """Whether a panel is the AngularJS table: `table-old`, or a `table` with styles saved before v24."""
    if panel.get("type") == "table-old":
        return True
    return panel.get("type") == "table" and schema_version < 24 and "styles" in panel


def migrate_table(panel: dict[str, Any], new: dict[str, Any], notes: PanelNotes) -> None:
    """Fill the modern table `new` (the kept fields) from the legacy table `panel`."""
    styles = [style for style in panel.get("styles") or [] if isinstance(style, dict)]
    default_style = next((style for style in styles if style.get("pattern") == _DEFAULT_PATTERN), None)
    overrides = [
        _style_override(style, notes) for style in styles if style.get("pattern") not in (_DEFAULT_PATTERN, None)
    ]
    new["fieldConfig"] = {"defaults": _defaults(default_style, notes), "overrides": overrides}
    new["transformations"] = [*new.get("transformations", []), *_transformations(panel, notes)]
    new["options"] = {"frameIndex": 0, "showHeader": panel.get("showHeader", True) is not False}
    sort = mapping(panel.get("sort"))
    if sort.get("col") is not None:
        notes.add(f"sort by column {sort['col']} dropped (the modern table sorts by name, chosen when viewed)")


def _defaults(style: dict[str, Any] | None, notes: PanelNotes) -> dict[str, Any]:
    # The table's field config requires `align` and `inspect`: Grafana's "auto" and false unless a style says so.
    defaults: dict[str, Any] = {"custom": {"align": "auto", "inspect": False}}
    if style is None:
        return defaults
    defaults.update({property_["id"]: property_["value"] for property_ in _style_properties(style, notes)})
    for key in [key for key in defaults if key.startswith("custom.")]:
        defaults["custom"][key.removeprefix("custom.")] = defaults.pop(key)
    return defaults


def _style_override(style: dict[str, Any], notes: PanelNotes) -> dict[str, Any]:
    pattern = str(style["pattern"])
    matcher = "byRegexp" if re.fullmatch(r"/.*/", pattern) else "byName"
    return {"matcher": {"id": matcher, "options": pattern}, "properties": _style_properties(style, notes)}


def _style_properties(style: dict[str, Any], notes: PanelNotes) -> list[dict[str, Any]]:
    """The field config one style sets, as override properties.

    Grafana drops `decimals: 0` (it tests the value's truth); here 0 decimals are kept, the number shown.
    """
    properties: list[dict[str, Any]] = []
    if style.get("alias"):
        properties.append({"id": "displayName", "value": style["alias"]})
    if style.get("unit") and style.get("type") != "date":
        properties.append({"id": "unit", "value": style["unit"]})
    if number(style.get("decimals")) is not None:
        properties.append({"id": "decimals", "value": number(style["decimals"])})
    if style.get("type") == "date":
        properties.append({"id": "unit", "value": f"time: {style.get('dateFormat') or 'YYYY-MM-DD HH:mm:ss'}"})
    if style.get("type") == "hidden":
        properties.append({"id": "custom.hidden", "value": True})
    if style.get("link"):
        link = {
            "targetBlank": bool(style.get("linkTargetBlank")),
            "title": style.get("linkTooltip") or "",
            "url": style.get("linkUrl") or "",
        }
        properties.append({"id": "links", "value": [link]})
    if style.get("colorMode") in _CELL_COLORS:
        cell = {"type": _CELL_COLORS[style["colorMode"]]}
        properties.append({"id": "custom.cellOptions", "value": cell})
        if style["colorMode"] == "row":
            notes.add(f'style {quoted(style.get("pattern"))}: colorMode "row" colors the cell only')
    if style.get("align") and style["align"] != "auto":
        properties.append({"id": "custom.align", "value": style["align"]})
    steps = _threshold_steps(style.get("thresholds"), style.get("colors"))
    if steps:
        properties.append({"id": "thresholds", "value": {"mode": "absolute", "steps": steps}})
    if style.get("type") == "string" and (style.get("valueMaps") or style.get("rangeMaps")):
        notes.add(f"style {quoted(style.get('pattern'))}: value mappings of a string column are not migrated")
    return properties


def _threshold_steps(thresholds: Any, colors: Any) -> list[dict[str, Any]]:
    if not isinstance(thresholds, list) or not thresholds or not isinstance(colors, list):
        return []
    values = [None, *(number(value) for value in thresholds)]
    return [{"color": color, "value": value} for value, color in zip(values, colors, strict=False)]


def _transformations(panel: dict[str, Any], notes: PanelNotes) -> list[dict[str, Any]]:
    transform = panel.get("transform")
    if transform is None:
        return []
    if transform not in _TRANSFORMS:
        notes.add(f"transform {quoted(transform)} has no counterpart; the query result is shown as it comes")
        return []
    options: dict[str, Any] = {"reducers": []}
    if transform == "timeseries_aggregations":
        columns = [column.get("value") for column in panel.get("columns") or [] if isinstance(column, dict)]
        unknown = [column for column in columns if column not in _COLUMN_REDUCERS]
        if unknown:
            notes.add(f"aggregation columns {quoted(unknown)} have no reducer; dropped")
        options = {
            "includeTimeField": False,
            "reducers": [_COLUMN_REDUCERS[column] for column in columns if column in _COLUMN_REDUCERS],
        }
    return [{"id": _TRANSFORMS[transform], "options": options}]
