"""Panel types grafanalib still writes in an old shape, moved to where Grafana 11/12 reads them.

grafanalib's `Table` puts `color`/`mappings` beside the panel, its gauges use Grafana 6's `fieldOptions`, its
`Heatmap` is the AngularJS heatmap's model and its `DashboardList` keeps its settings at the top of the panel.
Each is migrated here the way Grafana's own panel migrations do it; what has no modern counterpart and differs
from grafanalib's default is reported instead of dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from grafanalib.core import DashboardList, Heatmap

from compiler.grafana.panels.heatmap import HeatmapPanel
from compiler.model.dashboards.options import without_nulls
from compiler.model.dashboards.plain_data import grafanalib_json
from compiler.model.dashboards.problems import PanelProblems

Migration = Callable[[dict[str, Any], PanelProblems], None]

_HEATMAP_LEGACY = HeatmapPanel.IGNORED
"""The AngularJS heatmap's settings, which grafanalib's `Heatmap` still writes."""
_HEATMAP_UNMAPPED = ("heatmap", "highlightCards", "tooltip", "xAxis")
"""AngularJS heatmap settings the modern heatmap has no place for (reported when the author changed them)."""
_CELL_LAYOUT = {"auto": "auto", "upper": "le", "lower": "ge", "middle": "unknown"}
_EXEMPLAR_COLOR = "rgba(255,0,255,0.7)"
_DASHLIST_OPTIONS = {
    "headings": "showHeadings",
    "search": "showSearch",
    "recent": "showRecent",
    "starred": "showStarred",
    "limit": "maxItems",
    "query": "query",
    "tags": "tags",
}


def migrate(panel: dict[str, Any], problems: PanelProblems) -> None:
    """Move the panel's old-shape fields in place, if its type has any."""
    migration = _MIGRATIONS.get(str(panel.get("type")))
    if migration is not None:
        migration(panel, problems)


@cache
def _grafanalib_defaults(panel_class: type) -> dict[str, Any]:
    return grafanalib_json(panel_class(title=""))


def _authored_options(panel: dict[str, Any], problems: PanelProblems) -> dict[str, Any]:
    """Modern options the author passed (`options={...}`), which win over migrated ones."""
    options = panel.pop("options", None)
    if isinstance(options, dict):
        return options
    if options:
        problems.add(panel, f"options={options!r} must be a dict of the panel type's options")
    return {}


def _table(panel: dict[str, Any], problems: PanelProblems) -> None:
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


def _gauge(panel: dict[str, Any], problems: PanelProblems) -> None:
    """Grafana 6's `fieldOptions` split into `options.reduceOptions` (which value to show) and
    `fieldConfig.defaults` (how to show it). Bar gauges never had threshold labels."""
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
    shown = ("decimals", "max", "min", "unit", "links")
    legacy_defaults = {**{key: value for key, value in legacy.items() if key in shown}, **legacy_defaults}
    title = legacy_defaults.pop("title", None) or legacy.get("title")
    if title:
        defaults["displayName"] = title
    for key in shown:
        if legacy_defaults.get(key) is not None:
            defaults[key] = legacy_defaults[key]
    if legacy.get("mappings"):
        defaults["mappings"] = legacy["mappings"]
    thresholds = legacy.get("thresholds")
    if isinstance(thresholds, list):
        defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}


def _heatmap(panel: dict[str, Any], problems: PanelProblems) -> None:
    """The AngularJS heatmap's settings as the React heatmap's options (Grafana's `angularToReactHeatmap`)."""
    legacy = {key: panel.pop(key) for key in sorted(_HEATMAP_LEGACY) if key in panel}
    authored = _authored_options(panel, problems)
    defaults = _grafanalib_defaults(Heatmap)
    for key in _HEATMAP_UNMAPPED:
        if key in legacy and legacy[key] != defaults.get(key):
            problems.add(panel, f"{key}={legacy[key]!r} has no place in Grafana's heatmap panel; remove it")
    cards = legacy.get("cards") or {}
    y_axis = legacy.get("yAxis") or {}
    log_base = _number(y_axis.get("logBase")) or 1
    calculate = legacy.get("dataFormat", "timeseries") != "tsbuckets"
    axis = {
        "axisPlacement": "left" if y_axis.get("show", True) else "hidden",
        "reverse": bool(legacy.get("reverseYBuckets")),
        "unit": y_axis.get("format"),
        "decimals": _number(y_axis.get("decimals")),
        "min": _number(y_axis.get("min")),
        "max": _number(y_axis.get("max")),
        "axisLabel": y_axis.get("label"),
    }
    options: dict[str, Any] = {
        "calculate": calculate,
        "cellGap": int(_number(cards.get("cardPadding")) or 1),
        "cellRadius": _number(cards.get("cardRound")),
        "color": _heatmap_color(legacy.get("color") or {}),
        "yAxis": without_nulls(axis),
        "rowsFrame": {"layout": _CELL_LAYOUT.get(str(legacy.get("yBucketBound") or "auto"), "auto")},
        "legend": {"show": True},
        "showValue": "never",
        "tooltip": {"mode": "single", "yHistogram": False, "showColorScale": False},
        "exemplars": {"color": _EXEMPLAR_COLOR},
    }
    if calculate:
        options["calculation"] = _heatmap_calculation(legacy, log_base)
    elif log_base > 1:
        options["yAxis"]["scaleDistribution"] = {"type": "log", "log": log_base}
    if legacy.get("hideZeroBuckets"):
        options["filterValues"] = {"le": 1e-9}
    panel["options"] = {**without_nulls(options), **authored}


def _heatmap_color(color: dict[str, Any]) -> dict[str, Any]:
    scheme = str(color.get("colorScheme") or "interpolateOranges").removeprefix("interpolate")
    result: dict[str, Any] = {
        "mode": "opacity" if color.get("mode") == "opacity" else "scheme",
        "scheme": scheme,
        "fill": color.get("cardColor") or "dark-orange",
        "scale": "linear" if color.get("colorScale") == "linear" else "exponential",
        "exponent": _number(color.get("exponent")) or 0.5,
        "steps": 128,
        "reverse": False,
        "min": _number(color.get("min")),
        "max": _number(color.get("max")),
    }
    return without_nulls(result)  # type: ignore[no-any-return]


def _heatmap_calculation(legacy: dict[str, Any], log_base: float) -> dict[str, Any]:
    calculation: dict[str, Any] = {}
    for axis in ("x", "y"):
        size, count = legacy.get(f"{axis}BucketSize"), legacy.get(f"{axis}BucketNumber")
        if size is not None:
            calculation[f"{axis}Buckets"] = {"mode": "size", "value": str(size)}
        elif count is not None:
            calculation[f"{axis}Buckets"] = {"mode": "count", "value": str(count)}
    if log_base > 1:
        y_buckets = calculation.setdefault("yBuckets", {"mode": "count"})
        y_buckets["scale"] = {"type": "log", "log": log_base}
    return calculation


def _dashlist(panel: dict[str, Any], problems: PanelProblems) -> None:
    """The dashboard list's settings moved into `options`, under the names Grafana's dashlist panel reads."""
    authored = _authored_options(panel, problems)
    defaults = _grafanalib_defaults(DashboardList)
    options = {modern: panel.pop(old, defaults[old]) for old, modern in _DASHLIST_OPTIONS.items()}
    options.update(includeVars=False, keepTime=False)
    panel["options"] = {**options, **authored}


def _number(value: Any) -> float | None:
    """grafanalib takes many numbers as strings (`min="0"`); the modern options want JSON numbers."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


_MIGRATIONS: dict[str, Migration] = {
    "table": _table,
    "gauge": _gauge,
    "bargauge": _gauge,
    "heatmap": _heatmap,
    "dashlist": _dashlist,
}
