"""A panel's `options` and `fieldConfig` completed as Grafana fills them in, so each validates against its panel
type's schema: options a type requires but grafanalib does not write, shown legends, tooltips, threshold steps."""

from __future__ import annotations

from typing import Any

_OPTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "stat": {"wideLayout": True, "showPercentChange": False, "percentChangeColorMode": "standard"},
    "gauge": {
        "showThresholdLabels": False,
        "showThresholdMarkers": True,
        "sizing": "auto",
        "minVizWidth": 75,
        "minVizHeight": 75,
        "orientation": "auto",
    },
    "bargauge": {
        "displayMode": "gradient",
        "valueMode": "color",
        "namePlacement": "auto",
        "showUnfilled": True,
        "sizing": "auto",
        "minVizWidth": 8,
        "minVizHeight": 16,
        "maxVizHeight": 300,
        "orientation": "auto",
        "legend": {"displayMode": "list", "placement": "bottom", "showLegend": False, "calcs": []},
    },
    "table": {"frameIndex": 0, "showHeader": True, "cellHeight": "sm"},
    "text": {"mode": "markdown", "content": ""},
    "piechart": {"orientation": "auto"},
    "barchart": {"xTickLabelMaxLength": 0, "fullHighlight": False},
}
"""What Grafana fills in for options a panel type requires but grafanalib does not write."""

LEGEND_TYPES = frozenset({"timeseries", "piechart", "histogram", "barchart", "state-timeline"})
"""Panel types with a series legend, which every emitted panel shows."""
_TOOLTIP_TYPES = LEGEND_TYPES
_BASE_STEP = {"color": "green", "value": None}


def without_nulls(value: Any) -> Any:
    """`None` means "unset" in grafanalib's output; Grafana's schema wants such fields absent."""
    if isinstance(value, dict):
        return {
            key: without_nulls(item) if isinstance(item, dict | list) else item
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [without_nulls(item) if isinstance(item, dict | list) else item for item in value]
    return value


def modern_options(panel_type: str, options: dict[str, Any]) -> dict[str, Any]:
    options = dict(options)
    for key, value in _OPTION_DEFAULTS.get(panel_type, {}).items():
        options.setdefault(key, value)
    if panel_type in LEGEND_TYPES:
        legend = options["legend"] = dict(options.get("legend") or {})
        hidden = legend.get("displayMode") == "hidden"
        if hidden:
            legend["displayMode"] = "list"
        legend.setdefault("showLegend", not hidden)
        legend.setdefault("displayMode", "list")
        legend.setdefault("placement", "bottom")
        legend.setdefault("calcs", [])
    if panel_type in _TOOLTIP_TYPES:
        tooltip = options["tooltip"] = dict(options.get("tooltip") or {})
        tooltip.setdefault("mode", "single")
        tooltip.setdefault("sort", "none")
    return options


def modern_field_config(raw: Any) -> dict[str, Any]:
    """`defaults` and `overrides` (already without unset values); thresholds with a mode and the base step."""
    config = dict(raw) if isinstance(raw, dict) else {}
    defaults = dict(config.get("defaults") or {})
    thresholds = defaults.get("thresholds")
    if isinstance(thresholds, dict):
        thresholds = defaults["thresholds"] = dict(thresholds)
        steps = thresholds.get("steps")
        thresholds["steps"] = [_step(step) for step in steps] if isinstance(steps, list) and steps else [_BASE_STEP]
        thresholds.setdefault("mode", "absolute")
    return {"defaults": defaults, "overrides": config.get("overrides") or []}


def _step(step: Any) -> Any:
    if not isinstance(step, dict):
        return step
    value = step.get("value")
    if value in (None, "null", ""):
        value = None
    return {"color": step.get("color"), "value": value}
