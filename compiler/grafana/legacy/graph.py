"""The AngularJS `graph` panel migrated to `timeseries`, as Grafana's `graphPanelChangedHandler` does.

Draw style (bars win over lines, lines over points), points, line width and dashes, fill (0-10 → opacity 0-100,
bars always solid), stacking (normal, or percent with `percentage`), `nullPointMode` "connected" → spanNulls,
stepped lines, the legend (hidden, table, right side, the values avg/current/max/min/total → calcs
mean/lastNotNull/max/min/sum in the legend's order, hideZero/hideEmpty) and the shared tooltip with its sort.
The y axes, series overrides, alias colors and thresholds are `graph_fields`. What Flot drew that uPlot cannot
is a choice line.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.legacy.graph_fields import (
    DEFAULT_STACK_GROUP,
    alias_color_overrides,
    axis_field_config,
    fills_below,
    line_style,
    series_overrides,
    thresholds,
)
from compiler.grafana.legacy.notes import PanelNotes, quoted
from compiler.grafana.legacy.values import mapping, number

_LEGEND_CALCS = {"avg": "mean", "current": "lastNotNull", "max": "max", "min": "min", "total": "sum"}
_CALC_NAMES = {"mean": "Mean", "lastNotNull": "Last *", "max": "Max", "min": "Min", "sum": "Total"}
"""Each legend calc's display name, which the modern legend sorts by."""
_TOOLTIP_SORT = {1: "asc", 2: "desc"}
_FILL_BELOW_OPACITY = 35


def migrate_graph(panel: dict[str, Any], new: dict[str, Any], notes: PanelNotes) -> None:
    """Fill the `timeseries` panel `new` (holding the kept fields) from the legacy graph `panel`."""
    yaxes = panel.get("yaxes") or []
    defaults = axis_field_config(yaxes[0] if yaxes else None, notes, "left")
    overrides = alias_color_overrides(panel.get("aliasColors"))
    overrides.extend(series_overrides(panel, defaults, notes))
    custom = defaults.setdefault("custom", {})
    custom.update(_drawing(panel, notes))
    threshold_config = thresholds(panel.get("thresholds") or [], notes)
    if threshold_config is not None:
        defaults["thresholds"], custom["thresholdsStyle"] = threshold_config[0], {"mode": threshold_config[1]}
    legend = mapping(panel.get("legend"))
    overrides.extend(_legend_hiding(legend))
    xaxis = mapping(panel.get("xaxis"))
    if xaxis.get("show") is False and xaxis.get("mode", "time") == "time":
        overrides.append(
            {
                "matcher": {"id": "byType", "options": "time"},
                "properties": [{"id": "custom.axisPlacement", "value": "hidden"}],
            }
        )
    new["fieldConfig"] = {"defaults": defaults, "overrides": overrides}
    new["options"] = {"legend": _legend(legend, notes), "tooltip": _tooltip(panel, notes)}
    _note_unmigrated(panel, notes)


def _drawing(panel: dict[str, Any], notes: PanelNotes) -> dict[str, Any]:
    """The custom field config of how series are drawn (Grafana's order of keys)."""
    draw_style = "bars" if panel.get("bars") else "line" if panel.get("lines") else "points"
    if panel.get("bars") and panel.get("lines"):
        notes.add("bars and lines both on; drawn as bars (as Grafana migrates it), lines dropped")
    drawing: dict[str, Any] = {"drawStyle": draw_style}
    if panel.get("points"):
        drawing["showPoints"] = "always"
        radius = number(panel.get("pointradius"))
        if radius is not None:
            drawing["pointSize"] = 2 + radius * 2
    elif draw_style != "points":
        drawing["showPoints"] = "never"
    if panel.get("linewidth") is not None:
        drawing["lineWidth"] = panel["linewidth"]
    dashes = line_style(panel)
    if dashes is not None:
        drawing["lineStyle"] = dashes
    fill = number(panel.get("fill"))
    if fills_below(panel):
        drawing["fillOpacity"] = _FILL_BELOW_OPACITY
    elif fill is not None:
        drawing["fillOpacity"] = fill * 10
    gradient = number(panel.get("fillGradient"))
    if gradient:
        drawing["gradientMode"] = "opacity"
        drawing["fillOpacity"] = gradient * 10
    drawing["spanNulls"] = panel.get("nullPointMode") == "connected"
    if panel.get("nullPointMode") == "null as zero":
        notes.add_shared('nullPointMode "null as zero" has no counterpart; missing points are gaps, not zeros')
    if panel.get("steppedLine"):
        drawing["lineInterpolation"] = "stepAfter"
    if draw_style == "bars":
        drawing["fillOpacity"] = 100
    if panel.get("stack"):
        mode = "percent" if panel.get("percentage") else "normal"
        drawing["stacking"] = {"group": DEFAULT_STACK_GROUP, "mode": mode}
        if mapping(panel.get("tooltip")).get("value_type") == "cumulative":
            notes.add('tooltip value_type "cumulative" has no counterpart; the tooltip shows each series\' own value')
    return drawing


def _legend(legend: dict[str, Any], notes: PanelNotes) -> dict[str, Any]:
    options: dict[str, Any] = {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True}
    if not legend:
        return options
    if legend.get("show"):
        options["displayMode"] = "table" if legend.get("alignAsTable") else "list"
    else:
        options["showLegend"] = False
    if legend.get("rightSide"):
        options["placement"] = "right"
    if legend.get("values"):
        options["calcs"] = [_LEGEND_CALCS[key] for key, on in legend.items() if on and key in _LEGEND_CALCS]
    if legend.get("sideWidth"):
        options["width"] = legend["sideWidth"]
    sort = legend.get("sort")
    if sort:
        calc = _LEGEND_CALCS.get(str(sort))
        if calc is not None and calc in options["calcs"]:
            options["sortBy"] = _CALC_NAMES[calc]
            options["sortDesc"] = bool(legend.get("sortDesc"))
        else:
            notes.add(f"legend sort by {quoted(sort)} has no counterpart (the value is not shown); dropped")
    return options


def _legend_hiding(legend: dict[str, Any]) -> list[dict[str, Any]]:
    """Overrides hiding all-zero (hideZero) or all-null (hideEmpty) series from the legend and tooltip."""
    return [
        {
            "matcher": {"id": "byValue", "options": {"op": "gte", "reducer": reducer, "value": 0}},
            "properties": [{"id": "custom.hideFrom", "value": {"legend": True, "tooltip": True, "viz": False}}],
        }
        for flag, reducer in (("hideZero", "allIsZero"), ("hideEmpty", "allIsNull"))
        if legend.get(flag)
    ]


def _tooltip(panel: dict[str, Any], notes: PanelNotes) -> dict[str, Any]:
    tooltip = mapping(panel.get("tooltip"))
    shared = bool(tooltip.get("shared"))
    options = {"mode": "multi" if shared else "single", "sort": "none"}
    if shared:
        options["sort"] = _TOOLTIP_SORT.get(tooltip.get("sort") or 0, "none")
    return options


def _note_unmigrated(panel: dict[str, Any], notes: PanelNotes) -> None:
    """Choice lines for the graph settings Grafana's migration leaves behind."""
    mode = mapping(panel.get("xaxis")).get("mode", "time")
    if mode in ("series", "histogram"):
        notes.add(f"x axis mode {quoted(mode)} is not migrated; drawn over time")
    yaxis = mapping(panel.get("yaxis"))
    if yaxis.get("align"):
        notes.add("aligned y axes have no counterpart; each axis scales on its own")
    if panel.get("decimals") is not None:
        notes.add(f"legend decimals {panel['decimals']} dropped (the y axis' decimals are kept)")
    if panel.get("timeRegions"):
        notes.add("timeRegions are not migrated (Grafana makes them dashboard annotations); dropped")
    if panel.get("alert"):
        notes.add("legacy alert rule dropped; Grafana 11 runs only Grafana-managed or Prometheus alerts")
