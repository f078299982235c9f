"""The field config of a migrated `graph`: its y axes, per-series overrides, alias colors and thresholds.

Follows Grafana's `graphToTimeseriesOptions`: the left y axis becomes the panel's defaults (unit, decimals, min,
max, label, log scale), each `seriesOverrides` entry an override matched by name or, for `/regex/`, by regexp,
the right y axis an override placing the series on the right with what differs from the left axis, each alias
color a fixed color, and the AngularJS thresholds (gt/lt with fill and line) threshold steps drawn as lines
and/or areas.
"""

from __future__ import annotations

import re
from typing import Any

from compiler.grafana.legacy.notes import PanelNotes, quoted
from compiler.grafana.legacy.values import number, without_none

_REGEX_ALIAS = re.compile(r"^([/~@;%#'])(.*?)\1([gimsuy]*)$")
_LOG_BASES = (2, 10)
_THRESHOLD_COLORS = {"critical": "red", "warning": "orange"}
DEFAULT_STACK_GROUP = "A"


def axis_field_config(axis: Any, notes: PanelNotes, side: str) -> dict[str, Any]:
    """The field config one legacy y axis stands for (Grafana's getFieldConfigFromOldAxis)."""
    if not isinstance(axis, dict):
        return {}
    custom: dict[str, Any] = {"axisPlacement": "auto" if axis.get("show") else "hidden"}
    if axis.get("label"):
        custom["axisLabel"] = axis["label"]
    log_base = axis.get("logBase")
    if log_base in _LOG_BASES:
        custom["scaleDistribution"] = {"type": "log", "log": log_base}
    elif log_base not in (None, 1):
        notes.add(f"{side} y axis log base {log_base} has no counterpart (only 2 and 10); drawn linear")
    return without_none(
        {
            "unit": axis.get("format"),
            "decimals": number(axis.get("decimals")),
            "min": number(axis.get("min")),
            "max": number(axis.get("max")),
            "custom": custom,
        }
    )


def alias_color_overrides(alias_colors: Any) -> list[dict[str, Any]]:
    """A fixed-color override by name for each `aliasColors` entry."""
    if not isinstance(alias_colors, dict):
        return []
    return [
        {"matcher": {"id": "byName", "options": alias}, "properties": [_fixed_color(color)]}
        for alias, color in alias_colors.items()
        if color
    ]


def series_overrides(panel: dict[str, Any], left: dict[str, Any], notes: PanelNotes) -> list[dict[str, Any]]:
    """An override for each `seriesOverrides` entry that sets something (Grafana skips those without an alias)."""
    yaxes = panel.get("yaxes") or []
    dash = _dash(panel)
    rules = []
    for entry in panel.get("seriesOverrides") or []:
        if not isinstance(entry, dict) or not entry.get("alias"):
            continue
        alias = str(entry["alias"])
        matcher = "byRegexp" if _REGEX_ALIAS.match(alias) else "byName"
        properties: list[dict[str, Any]] = []
        ignored = []
        for key, value in entry.items():
            if key in ("alias", "$$hashKey"):
                continue
            if key == "yaxis":
                if value == 2:
                    right = axis_field_config(yaxes[1] if len(yaxes) > 1 else None, notes, "right")
                    properties.extend(_right_axis_properties(left, right))
            elif key in ("dashes", "dashLength", "spaceLength", "legend", "hideTooltip"):
                continue
            elif key in _SERIES_PROPERTIES:
                properties.extend(_SERIES_PROPERTIES[key](value))
            else:
                ignored.append(key)
        if any(key in entry for key in ("dashes", "dashLength", "spaceLength")):
            properties.append({"id": "custom.lineStyle", "value": _series_dash(entry, dash)})
        if "legend" in entry or "hideTooltip" in entry:
            hidden = {"legend": entry.get("legend") is False, "tooltip": bool(entry.get("hideTooltip")), "viz": False}
            properties.append({"id": "custom.hideFrom", "value": hidden})
        if ignored:
            verb = "has" if len(ignored) == 1 else "have"
            notes.add(f"seriesOverrides {quoted(alias)}: {', '.join(ignored)} {verb} no counterpart; dropped")
        if properties:
            rules.append({"matcher": {"id": matcher, "options": alias}, "properties": properties})
    return rules


def fills_below(panel: dict[str, Any]) -> bool:
    """Whether a series fills down to another one: Flot drew such bands at a fixed opacity of 35%."""
    return any(isinstance(entry, dict) and "fillBelowTo" in entry for entry in panel.get("seriesOverrides") or [])


def line_style(panel: dict[str, Any]) -> dict[str, Any] | None:
    """The panel's dashed line style, or None when lines are solid."""
    dash = _dash(panel)
    return dash if dash["fill"] == "dash" else None


def thresholds(legacy: list[Any], notes: PanelNotes) -> tuple[dict[str, Any], str] | None:
    """Threshold steps and their drawing mode (line, area, line+area) for the graph's gt/lt thresholds."""
    valid = [item for item in legacy if isinstance(item, dict) and number(item.get("value")) is not None]
    if not valid:
        return None
    ordered = sorted(valid, key=lambda item: number(item["value"]) or 0)
    steps: list[dict[str, Any]] = []
    for index, threshold in enumerate(ordered):
        value = number(threshold["value"])
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if threshold.get("yaxis") == "right":
            notes.add(f"threshold {value} on the right y axis is drawn against the left one")
        if threshold.get("op") == "gt":
            steps.append({"color": _threshold_color(threshold), "value": value})
        elif threshold.get("op") == "lt":
            if not steps:
                steps.append({"color": _threshold_color(threshold), "value": None})
            if following is not None and following.get("op") == "lt":
                steps.append({"color": _threshold_color(following), "value": value})
            else:
                steps.append({"color": "transparent", "value": value})
    if steps and steps[0]["value"] is not None:
        steps.insert(0, {"color": "transparent", "value": None})
    area = any(item.get("fill") for item in ordered)
    line = any(item.get("line") for item in ordered)
    mode = "line+area" if area and line else "area" if area else "line"
    return {"mode": "absolute", "steps": steps}, mode


def _right_axis_properties(left: dict[str, Any], right: dict[str, Any]) -> list[dict[str, Any]]:
    """What a series on the right y axis overrides: what differs from the left axis, placed right.

    Grafana places it right first and then copies the right axis' own placement when it differs, so a hidden
    right axis stays hidden.
    """
    properties = [
        {"id": key, "value": value} for key, value in right.items() if key != "custom" and value != left.get(key)
    ]
    properties.append({"id": "custom.axisPlacement", "value": "right"})
    left_custom = left.get("custom") or {}
    properties.extend(
        {"id": f"custom.{key}", "value": value}
        for key, value in (right.get("custom") or {}).items()
        if value != left_custom.get(key)
    )
    return properties


def _dash(panel: dict[str, Any]) -> dict[str, Any]:
    return {
        "fill": "dash" if panel.get("dashes") else "solid",
        "dash": [_or(panel.get("dashLength"), 10), _or(panel.get("spaceLength"), 10)],
    }


def _series_dash(entry: dict[str, Any], dash: dict[str, Any]) -> dict[str, Any]:
    fill = ("dash" if entry["dashes"] else "solid") if "dashes" in entry else dash["fill"]
    return {
        "fill": fill,
        "dash": [_or(entry.get("dashLength"), dash["dash"][0]), _or(entry.get("spaceLength"), dash["dash"][1])],
    }


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _threshold_color(threshold: dict[str, Any]) -> str:
    if threshold.get("colorMode") == "custom":
        return str(threshold.get("fillColor") or threshold.get("lineColor") or "red")
    return _THRESHOLD_COLORS.get(str(threshold.get("colorMode")), "red")


def _fixed_color(color: Any) -> dict[str, Any]:
    return {"id": "color", "value": {"fixedColor": color, "mode": "fixed"}}


def _fill(value: Any) -> list[dict[str, Any]]:
    return [{"id": "custom.fillOpacity", "value": (number(value) or 0) * 10}]


def _fill_gradient(value: Any) -> list[dict[str, Any]]:
    if not value:
        return []
    return [
        {"id": "custom.gradientMode", "value": "opacity"},
        {"id": "custom.fillOpacity", "value": (number(value) or 0) * 10},
    ]


def _bars(value: Any) -> list[dict[str, Any]]:
    if value:
        return [{"id": "custom.drawStyle", "value": "bars"}, {"id": "custom.fillOpacity", "value": 100}]
    return [{"id": "custom.drawStyle", "value": "line"}]


def _lines(value: Any) -> list[dict[str, Any]]:
    if value:
        return [{"id": "custom.drawStyle", "value": "line"}]
    return [{"id": "custom.lineWidth", "value": 0}]


def _stack(value: Any) -> list[dict[str, Any]]:
    group = value if isinstance(value, str) else DEFAULT_STACK_GROUP
    return [{"id": "custom.stacking", "value": {"group": group, "mode": "normal" if value else "none"}}]


_SERIES_PROPERTIES: dict[str, Any] = {
    "fill": _fill,
    "fillBelowTo": lambda value: [{"id": "custom.fillBelowTo", "value": value}],
    "fillGradient": _fill_gradient,
    "points": lambda value: [{"id": "custom.showPoints", "value": "always" if value else "never"}],
    "bars": _bars,
    "lines": _lines,
    "linewidth": lambda value: [{"id": "custom.lineWidth", "value": value}],
    "pointradius": lambda value: [{"id": "custom.pointSize", "value": 2 + (number(value) or 0) * 2}],
    "stack": _stack,
    "color": lambda value: [_fixed_color(value)],
    "transform": lambda value: [
        {"id": "custom.transform", "value": "negative-Y" if value == "negative-Y" else "constant"}
    ],
    "steppedLine": lambda value: [{"id": "custom.lineInterpolation", "value": "stepAfter" if value else "linear"}],
}
"""How each per-series setting becomes override properties. Grafana's migration ignores steppedLine, `legend`
and `hideTooltip`; they have exact counterparts (`legend`/`hideTooltip` become `custom.hideFrom`), so they are
kept here rather than dropped."""
