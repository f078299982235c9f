"""Option objects several panel kinds share (Grafana's `common` schema): legend, tooltip, text, reductions.

Each holds Grafana's defaults: what a panel shows when its JSON leaves the option out. The fields Grafana's
schema requires are `WRITTEN`, so a panel written with only a title still validates.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from compiler.grafana.common import Number
from compiler.grafana.objects import GrafanaObject

VizOrientation = Literal["auto", "vertical", "horizontal"]
VisibilityMode = Literal["auto", "never", "always"]
LegendDisplayMode = Literal["list", "table", "hidden"]
LegendPlacement = Literal["bottom", "right"]
TooltipDisplayMode = Literal["single", "multi", "none"]
SortOrder = Literal["asc", "desc", "none"]
StackingMode = Literal["none", "normal", "percent"]
BarGaugeSizing = Literal["auto", "manual"]
BarGaugeDisplayMode = Literal["basic", "lcd", "gradient"]
BarGaugeValueMode = Literal["color", "text", "hidden"]
TimeZone = str

NAMED_REDUCERS = (
    "lastNotNull",
    "last",
    "firstNotNull",
    "first",
    "min",
    "max",
    "mean",
    "median",
    "sum",
    "count",
    "range",
    "delta",
    "step",
    "diff",
    "diffperc",
    "logmin",
    "allIsZero",
    "allIsNull",
    "changeCount",
    "distinctCount",
    "allValues",
    "uniqueValues",
    "variance",
    "stdDev",
)
"""Grafana's calculations (reducers), by id; `p1`..`p99` (percentiles) too."""
_PERCENTILE = re.compile(r"p([1-9]|[1-9][0-9])")


def _known_reducer(name: str) -> str:
    if name in NAMED_REDUCERS or _PERCENTILE.fullmatch(name):
        return name
    raise ValueError(f"{name!r} is not a reduction Grafana knows ({', '.join(NAMED_REDUCERS[:8])}, ..., p1-p99)")


Reducer = Annotated[str, AfterValidator(_known_reducer)]


class ReduceDataOptions(GrafanaObject):
    """How a single-value panel reduces each series to a number; Grafana shows the last non-null value."""

    WRITTEN = frozenset({"calcs"})

    values: bool | None = False
    """Every row instead of one calculated value."""
    limit: Number | None = None
    calcs: list[Reducer] = Field(default_factory=lambda: ["lastNotNull"])
    fields: str | None = ""
    """A regular expression choosing the fields; empty means numeric fields."""


class VizTextDisplayOptions(GrafanaObject):
    """Fixed text sizes, instead of Grafana's automatic ones."""

    title_size: Number | None = None
    value_size: Number | None = None
    percent_size: Number | None = None


class VizLegendOptions(GrafanaObject):
    """The series legend of a graph-like panel."""

    WRITTEN = frozenset({"display_mode", "placement", "show_legend", "calcs"})

    display_mode: LegendDisplayMode = "list"
    placement: LegendPlacement = "bottom"
    show_legend: bool = True
    as_table: bool | None = None
    is_visible: bool | None = None
    sort_by: str | None = None
    sort_desc: bool | None = False
    width: Number | None = None
    calcs: list[Reducer] = Field(default_factory=list)


class VizTooltipOptions(GrafanaObject):
    """The tooltip on hover: one series, all of them, or none."""

    WRITTEN = frozenset({"mode", "sort"})

    mode: TooltipDisplayMode = "single"
    sort: SortOrder = "none"
    max_width: Number | None = None
    max_height: Number | None = None
    hide_zeros: bool | None = False


class SingleStatBaseOptions(GrafanaObject):
    """What stat, gauge, bar gauge and pie chart share: one value per series, reduced."""

    WRITTEN = frozenset({"reduce_options", "orientation"})

    reduce_options: ReduceDataOptions = Field(default_factory=ReduceDataOptions)
    text: VizTextDisplayOptions | None = Field(default_factory=VizTextDisplayOptions)
    orientation: VizOrientation = "auto"


class LegendTooltipOptions(GrafanaObject):
    """What the graph-like panels share: a legend and a tooltip."""

    WRITTEN = frozenset({"legend", "tooltip"})

    legend: VizLegendOptions = Field(default_factory=VizLegendOptions)
    tooltip: VizTooltipOptions = Field(default_factory=VizTooltipOptions)


class TimelineOptions(LegendTooltipOptions):
    """What state timeline and status history share."""

    WRITTEN = LegendTooltipOptions.WRITTEN | {"row_height", "show_value"}

    row_height: Number = 0.9
    show_value: VisibilityMode = "auto"
    timezone: list[TimeZone] | None = None
    per_page: Number | None = None
