"""One grafanalib panel (as grafanalib serialises it) → the panel Grafana 11/12 stores, or a problem.

grafanalib writes fields Grafana dropped long ago (`span`, `editable`, `error`, `minSpan`, a target's `step`...)
next to the modern ones. A legacy field still at grafanalib's default is dropped; one the author changed either
moves to its modern place (`span` → `gridPos.w`, a table's `mappings` → `fieldConfig.defaults.mappings`) or
becomes a problem, so nothing the author set is lost silently. Panels that need AngularJS are refused with
their modern replacement named.
"""

from __future__ import annotations

import re
from typing import Any

ANGULAR_REPLACEMENTS = {
    "graph": "TimeSeries (panel type 'timeseries')",
    "singlestat": "Stat (panel type 'stat')",
    "table-old": "Table, grafanalib's newer table panel (panel type 'table')",
    "grafana-piechart-panel": "PieChartv2 (panel type 'piechart')",
    "grafana-worldmap-panel": "a geomap panel (panel type 'geomap')",
    "natel-discrete-panel": "StateTimeline (panel type 'state-timeline')",
    "flant-statusmap-panel": "StateTimeline (panel type 'state-timeline') or a 'status-history' panel",
}

PANEL_KEYS = frozenset(
    [
        "type",
        "id",
        "pluginVersion",
        "targets",
        "title",
        "description",
        "transparent",
        "datasource",
        "gridPos",
        "links",
        "repeat",
        "repeatDirection",
        "maxPerRow",
        "maxDataPoints",
        "transformations",
        "interval",
        "timeFrom",
        "timeShift",
        "hideTimeOverride",
        "timeCompare",
        "libraryPanel",
        "cacheTimeout",
        "queryCachingTTL",
        "options",
        "fieldConfig",
    ]
)
ROW_KEYS = frozenset(["type", "collapsed", "title", "datasource", "gridPos", "id", "panels", "repeat"])
SIZING_KEYS = ("span", "height")

_LEGACY_DEFAULTS: dict[str, Any] = {
    "editable": True,
    "error": False,
    "minSpan": None,
    "fontSize": "100%",
    "columns": [],
    "thresholds": [],
    "thresholdType": "absolute",
}
"""Fields grafanalib writes that Grafana's panel model no longer has, at the value that means "not set"."""

_PANEL_DEFAULTS: dict[str, Any] = {
    "maxDataPoints": 100,
    "hideTimeOverride": False,
    "transparent": False,
    "links": [],
    "transformations": [],
}
"""grafanalib's defaults for modern fields; left out so Grafana applies its own (e.g. points from panel width)."""

_TARGET_LEGACY: dict[str, Any] = {"target": "", "metric": "", "step": 10}
_TARGET_DEFAULTS: dict[str, Any] = {"intervalFactor": 2, "legendFormat": "", "interval": "", "hide": False}

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
}
"""What Grafana fills in for options a panel type requires but grafanalib does not write."""

_LEGEND_TYPES = frozenset({"timeseries", "piechart", "heatmap", "histogram", "barchart", "state-timeline"})
_BASE_STEP = {"color": "green", "value": None}
_PIXELS = re.compile(r"(\d+)\s*px")
_GRID_ROW_PIXELS = 30


class PanelProblems:
    """Collects a dashboard's panel problems as `panel "Title": message` lines."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, panel: dict[str, Any], message: str) -> None:
        kind = "row" if panel.get("type") == "row" else "panel"
        self.messages.append(f"{kind} {panel.get('title') or '(untitled)'!r}: {message}")


def without_nulls(value: Any) -> Any:
    """`None` means "unset" in grafanalib's output; Grafana's schema wants such fields absent."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def modern_panel(raw: dict[str, Any], datasource: dict[str, str], problems: PanelProblems) -> dict[str, Any] | None:
    """The modern form of one non-row panel, with `span`/`height` kept for the layout; None if it is refused."""
    panel_type = str(raw.get("type", ""))
    if panel_type in ANGULAR_REPLACEMENTS:
        problems.add(
            raw,
            f"panel type {panel_type!r} needs AngularJS, which Grafana 11 turns off; "
            f"use {ANGULAR_REPLACEMENTS[panel_type]} instead",
        )
        return None
    panel = dict(raw)
    if panel_type == "table":
        _move_table_fields(panel, problems)
    if panel_type in {"gauge", "bargauge"}:
        _move_gauge_fields(panel)
    _check_legacy(panel, PANEL_KEYS, problems)
    result: dict[str, Any] = {}
    for key, value in panel.items():
        if (key in PANEL_KEYS and value is not None and _PANEL_DEFAULTS.get(key, object()) != value) or (
            key in SIZING_KEYS and value is not None
        ):
            result[key] = value
    result = without_nulls(result)
    result["datasource"] = datasource_ref(result.get("datasource"), datasource)
    result["targets"] = modern_targets(result.get("targets", []), result["datasource"], raw, problems)
    result["fieldConfig"] = _field_config(result.get("fieldConfig"))
    result["options"] = _options(panel_type, result.get("options") or {})
    return result


def modern_row(raw: dict[str, Any], problems: PanelProblems, row_defaults: dict[str, Any]) -> dict[str, Any]:
    """A row panel keeps only what Grafana's row model has; anything else the author set is a problem."""
    for key, value in raw.items():
        if key not in ROW_KEYS and value is not None and row_defaults.get(key) != value:
            problems.add(raw, f"{key}={value!r} has no place on a row in Grafana's dashboard model; remove it")
    row = {key: value for key, value in raw.items() if key in ROW_KEYS and value is not None}
    row.setdefault("collapsed", False)
    row.setdefault("panels", [])
    return row


def datasource_ref(value: Any, default: dict[str, str]) -> dict[str, str]:
    """A datasource as Grafana stores it: a `{type, uid}` reference; a plain string is taken as a uid."""
    if value is None:
        return dict(default)
    if isinstance(value, dict):
        return {str(key): str(item) for key, item in value.items() if item is not None}
    return {"type": default["type"], "uid": str(value)}


def modern_targets(
    targets: list[Any], datasource: dict[str, str], panel: dict[str, Any], problems: PanelProblems
) -> list[Any]:
    used = {target.get("refId") for target in targets if isinstance(target, dict) and target.get("refId")}
    free = (letter for letter in _ref_ids() if letter not in used)
    result: list[Any] = []
    for raw in targets:
        if not isinstance(raw, dict):
            result.append(raw)
            continue
        target = {key: value for key, value in raw.items() if value is not None}
        for key, unset in _TARGET_LEGACY.items():
            value = target.pop(key, unset)
            if value != unset:
                problems.add(
                    panel,
                    f"target {target.get('refId') or target.get('expr')!r}: {key}={value!r} is not "
                    "part of Grafana's Prometheus query model; remove it (use interval= for the step)",
                )
        if target.get("query") == target.get("expr"):
            target.pop("query", None)
        for key, unset in _TARGET_DEFAULTS.items():
            if target.get(key, unset) == unset:
                target.pop(key, None)
        if "expr" in target:
            target.setdefault("editorMode", "code")
            target["range"] = not target.get("instant", False)
            target["instant"] = bool(target.get("instant", False))
        target["refId"] = target.get("refId") or next(free)
        target["datasource"] = datasource_ref(target.get("datasource"), datasource)
        result.append(target)
    return result


def grid_size(panel: dict[str, Any]) -> tuple[int, int]:
    """Width and height in grid units: `gridPos` if given, else grafanalib's `span` (of 12) and `height`."""
    span, height = panel.get("span"), panel.get("height")
    small = panel.get("type") in {"stat", "gauge", "bargauge", "text"}
    width = min(24, max(1, round(float(span) * 2))) if isinstance(span, int | float) else (6 if small else 12)
    if isinstance(height, int | float):
        rows = max(1, int(height))
    elif isinstance(height, str) and (pixels := _PIXELS.fullmatch(height.strip())):
        rows = max(1, round(int(pixels[1]) / _GRID_ROW_PIXELS))
    else:
        rows = 4 if small else 8
    return width, rows


def _ref_ids() -> list[str]:
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    return letters + [first + second for first in letters for second in letters]


def _check_legacy(panel: dict[str, Any], allowed: frozenset[str], problems: PanelProblems) -> None:
    for key, value in panel.items():
        if key in allowed or key in SIZING_KEYS or value is None:
            continue
        if key in _LEGACY_DEFAULTS and _LEGACY_DEFAULTS[key] == value:
            continue
        if key == "columns":
            problems.add(panel, "columns= belongs to the AngularJS table; use Table with transformations instead")
        else:
            problems.add(panel, f"{key}={value!r} has no place in Grafana's panel model and would be lost; remove it")


def _move_table_fields(panel: dict[str, Any], problems: PanelProblems) -> None:
    """grafanalib's Table writes `color` and `mappings` beside the panel; Grafana reads them from fieldConfig."""
    defaults = panel.setdefault("fieldConfig", {}).setdefault("defaults", {})
    color = panel.pop("color", None)
    if isinstance(color, dict) and color.get("mode") not in (None, "thresholds"):
        defaults["color"] = color
    mappings = panel.pop("mappings", None)
    if mappings:
        defaults["mappings"] = mappings
    custom = defaults.setdefault("custom", {})
    custom.setdefault("align", "auto")
    custom.setdefault("inspect", False)
    display_mode = custom.pop("displayMode", None)
    if display_mode not in (None, "auto"):
        custom["cellOptions"] = {"type": display_mode}


def _move_gauge_fields(panel: dict[str, Any]) -> None:
    """grafanalib's gauges use Grafana 6's `fieldOptions`; Grafana now splits them into `options.reduceOptions`
    (which value to show) and `fieldConfig.defaults` (how to show it). Bar gauges never had threshold labels."""
    options = panel["options"] = dict(panel.get("options") or {})
    config = panel["fieldConfig"] = dict(panel.get("fieldConfig") or {})
    defaults = config.setdefault("defaults", {})
    legacy = options.pop("fieldOptions", None) or {}
    legacy_defaults = legacy.pop("defaults", None) or {}
    if "calcs" in defaults:
        legacy = {**defaults, **legacy}
        defaults.clear()
        defaults["thresholds"] = legacy.pop("thresholds", None) or config.get("defaults", {}).get("thresholds")
    for key in ("showThresholdLabels", "showThresholdMarkers"):
        value = config.pop(key, options.pop(key, None))
        if value is not None and panel["type"] == "gauge":
            options[key] = value
    reduce = {"calcs": legacy.pop("calcs", ["mean"]), "values": bool(legacy.pop("values", False))}
    if legacy.get("limit") is not None:
        reduce["limit"] = legacy["limit"]
    options["reduceOptions"] = reduce
    legacy_defaults = {
        **{k: v for k, v in legacy.items() if k in {"decimals", "max", "min", "unit", "links"}},
        **legacy_defaults,
    }
    title = legacy_defaults.pop("title", None) or legacy.get("title")
    if title:
        defaults["displayName"] = title
    for key in ("decimals", "max", "min", "unit", "links"):
        if legacy_defaults.get(key) is not None:
            defaults[key] = legacy_defaults[key]
    if legacy.get("mappings"):
        defaults["mappings"] = legacy["mappings"]
    thresholds = legacy.get("thresholds")
    if isinstance(thresholds, list):
        defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}


def _field_config(raw: Any) -> dict[str, Any]:
    config = dict(raw) if isinstance(raw, dict) else {}
    defaults = without_nulls(config.get("defaults") or {})
    thresholds = defaults.get("thresholds")
    if isinstance(thresholds, dict):
        thresholds = defaults["thresholds"] = dict(thresholds)
        steps = thresholds.get("steps")
        thresholds["steps"] = [_step(step) for step in steps] if isinstance(steps, list) and steps else [_BASE_STEP]
        thresholds.setdefault("mode", "absolute")
    return {"defaults": defaults, "overrides": without_nulls(config.get("overrides") or [])}


def _step(step: Any) -> Any:
    if not isinstance(step, dict):
        return step
    value = step.get("value")
    if value in (None, "null", ""):
        value = None
    return {"color": step.get("color"), "value": value}


def _options(panel_type: str, options: dict[str, Any]) -> dict[str, Any]:
    options = dict(options)
    for key, value in _OPTION_DEFAULTS.get(panel_type, {}).items():
        options.setdefault(key, value)
    if panel_type in _LEGEND_TYPES:
        legend = options.setdefault("legend", {})
        hidden = legend.get("displayMode") == "hidden"
        if hidden:
            legend["displayMode"] = "list"
        legend.setdefault("showLegend", not hidden)
        legend.setdefault("displayMode", "list")
        legend.setdefault("placement", "bottom")
        legend.setdefault("calcs", [])
    return options
