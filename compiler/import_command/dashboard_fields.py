"""Which grafanalib keyword argument writes which field of a panel's JSON, read back from the input.

Each panel class has a table of `keyword: path` pairs, the inverse of its `to_json_data`; a keyword is passed
when the input has its path, differs from the class's default there and passes the class's validator. What the
tables do not cover is left to `extraJson`, so a missing row costs readability, never correctness.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import attr
from grafanalib.core import (
    BarChart,
    BarGauge,
    DashboardList,
    GaugePanel,
    Heatmap,
    Histogram,
    Logs,
    News,
    PieChartv2,
    RowPanel,
    Stat,
    StateTimeline,
    Table,
    Text,
    TimeSeries,
)

from compiler.model.dashboards.plain_data import grafanalib_json

Path = tuple[str | int, ...]
"""Keys into the panel's JSON; an int step reads the only element of a one-element list."""

PANEL_CLASSES: dict[str, type] = {
    "timeseries": TimeSeries,
    "stat": Stat,
    "table": Table,
    "text": Text,
    "gauge": GaugePanel,
    "bargauge": BarGauge,
    "heatmap": Heatmap,
    "piechart": PieChartv2,
    "state-timeline": StateTimeline,
    "histogram": Histogram,
    "barchart": BarChart,
    "logs": Logs,
    "news": News,
    "dashlist": DashboardList,
    "row": RowPanel,
}
"""The grafanalib class written for each Grafana panel type."""

_DEFAULTS: Path = ("fieldConfig", "defaults")
_CUSTOM: Path = (*_DEFAULTS, "custom")

COMMON_FIELDS: Mapping[str, Path] = {
    "title": ("title",),
    "description": ("description",),
    "id": ("id",),
    "interval": ("interval",),
    "timeFrom": ("timeFrom",),
    "timeShift": ("timeShift",),
    "hideTimeOverride": ("hideTimeOverride",),
    "cacheTimeout": ("cacheTimeout",),
    "maxDataPoints": ("maxDataPoints",),
    "transparent": ("transparent",),
    "links": ("links",),
    "transformations": ("transformations",),
    "thresholdType": (*_DEFAULTS, "thresholds", "mode"),
    "thresholds": (*_DEFAULTS, "thresholds", "steps"),
}
"""Fields of grafanalib's `Panel`, which every panel class has (datasource, grid, repeat and targets aside)."""

_TIMESERIES_CUSTOM = (
    "axisPlacement",
    "axisLabel",
    "drawStyle",
    "lineInterpolation",
    "barAlignment",
    "lineWidth",
    "fillOpacity",
    "gradientMode",
    "spanNulls",
    "showPoints",
    "pointSize",
    "stacking",
    "axisSoftMin",
    "axisSoftMax",
)

CLASS_FIELDS: dict[type, Mapping[str, Path]] = {
    TimeSeries: {
        "unit": (*_DEFAULTS, "unit"),
        "colorMode": (*_DEFAULTS, "color", "mode"),
        "valueMin": (*_DEFAULTS, "min"),
        "valueMax": (*_DEFAULTS, "max"),
        "valueDecimals": (*_DEFAULTS, "decimals"),
        "mappings": (*_DEFAULTS, "mappings"),
        **{name: (*_CUSTOM, name) for name in _TIMESERIES_CUSTOM},
        "scaleDistributionType": (*_CUSTOM, "scaleDistribution", "type"),
        "scaleDistributionLog": (*_CUSTOM, "scaleDistribution", "log"),
        "thresholdsStyleMode": (*_CUSTOM, "thresholdsStyle", "mode"),
        "overrides": ("fieldConfig", "overrides"),
        "legendDisplayMode": ("options", "legend", "displayMode"),
        "legendPlacement": ("options", "legend", "placement"),
        "legendCalcs": ("options", "legend", "calcs"),
        "tooltipMode": ("options", "tooltip", "mode"),
        "tooltipSort": ("options", "tooltip", "sort"),
    },
    Stat: {
        "format": (*_DEFAULTS, "unit"),
        "decimals": (*_DEFAULTS, "decimals"),
        "color": (*_DEFAULTS, "color"),
        "noValue": (*_DEFAULTS, "noValue"),
        "mappings": (*_DEFAULTS, "mappings"),
        "overrides": ("fieldConfig", "overrides"),
        "reduceCalc": ("options", "reduceOptions", "calcs", 0),
        "fields": ("options", "reduceOptions", "fields"),
        "textMode": ("options", "textMode"),
        "colorMode": ("options", "colorMode"),
        "graphMode": ("options", "graphMode"),
        "alignment": ("options", "justifyMode"),
        "orientation": ("options", "orientation"),
    },
    Table: {
        "unit": (*_DEFAULTS, "unit"),
        "colorMode": (*_DEFAULTS, "color", "mode"),
        "mappings": (*_DEFAULTS, "mappings"),
        "align": (*_CUSTOM, "align"),
        "filterable": (*_CUSTOM, "filterable"),
        "overrides": ("fieldConfig", "overrides"),
        "showHeader": ("options", "showHeader"),
    },
    Text: {"content": ("options", "content"), "mode": ("options", "mode")},
    RowPanel: {"collapsed": ("collapsed",)},
}
"""Class-specific fields; classes not listed get the common ones, and `extraJson` for the rest."""

_MISSING = object()


def lookup(document: Any, path: Path) -> Any:
    """The value at `path`, or `_MISSING`."""
    value = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or len(value) != 1:
                return _MISSING
            value = value[0]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return _MISSING
    return value


def field_kwargs(cls: type, panel: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `cls` the input panel sets to something other than the class's default."""
    defaults = _default_json(cls)
    kwargs: dict[str, Any] = {}
    for name, path in {**COMMON_FIELDS, **CLASS_FIELDS.get(cls, {})}.items():
        value = lookup(panel, path)
        if value is _MISSING or value == lookup(defaults, path) or not accepted(cls, name, value):
            continue
        kwargs[name] = value
    return kwargs


@cache
def _default_json(cls: type) -> dict[str, Any]:
    return grafanalib_json(cls())


def accepted(cls: type, name: str, value: Any) -> bool:
    """Whether the class's validator takes `value` for `name` (e.g. TimeSeries' `valueMin` only takes ints)."""
    field = attr.fields_dict(cls)[name]
    try:
        if field.validator is not None:
            field.validator(None, field, value)
    except (TypeError, ValueError):
        return False
    return True
