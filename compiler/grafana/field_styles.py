"""Pieces of `fieldConfig.defaults.custom` several panel kinds share: axes, lines, stacking, hiding series.

A kind's custom model is built from these (a bar chart's is axes + hiding + its own bar fields), so each field
is defined once with its JSON name.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import Number
from compiler.grafana.objects import GrafanaObject
from compiler.grafana.options import StackingMode, VisibilityMode

AxisPlacement = Literal["auto", "top", "right", "bottom", "left", "hidden"]
AxisColorMode = Literal["text", "series"]
ScaleDistribution = Literal["linear", "log", "ordinal", "symlog"]
GraphDrawStyle = Literal["line", "bars", "points"]
GraphTransform = Literal["constant", "negative-Y"]
LineInterpolation = Literal["linear", "smooth", "stepBefore", "stepAfter"]
GraphGradientMode = Literal["none", "opacity", "hue", "scheme"]
GraphThresholdsStyleMode = Literal["off", "line", "dashed", "area", "line+area", "dashed+area", "series"]
BarAlignment = Literal[-1, 0, 1]


class ScaleDistributionConfig(GrafanaObject):
    """A linear, logarithmic (base `log`) or symmetric-log axis."""

    WRITTEN = frozenset({"type"})

    type: ScaleDistribution = "linear"
    log: Number | None = None
    linear_threshold: Number | None = None


class HideSeriesConfig(GrafanaObject):
    """Where a series is hidden: the tooltip, the legend, the visualization."""

    WRITTEN = frozenset({"tooltip", "legend", "viz"})

    tooltip: bool = False
    legend: bool = False
    viz: bool = False


class StackingConfig(GrafanaObject):
    """Whether series are stacked, and in which group."""

    mode: StackingMode | None = None
    group: str | None = None


class LineStyle(GrafanaObject):
    """A solid, dashed or dotted line; `dash` is the pattern's lengths."""

    fill: Literal["solid", "dash", "dot", "square"] | None = None
    dash: list[Number] | None = None


class GraphThresholdsStyleConfig(GrafanaObject):
    """Whether and how thresholds are drawn on a graph."""

    WRITTEN = frozenset({"mode"})

    mode: GraphThresholdsStyleMode = "off"


class HideableFieldConfig(GrafanaObject):
    hide_from: HideSeriesConfig | None = Field(default_factory=HideSeriesConfig)
    """Absent, Grafana hides the series nowhere (`addHideFrom`'s default)."""


class AxisFieldConfig(GrafanaObject):
    """An axis: placement, label, width, soft limits, scale."""

    axis_placement: AxisPlacement | None = None
    axis_color_mode: AxisColorMode | None = None
    axis_label: str | None = ""
    axis_width: Number | None = None
    axis_soft_min: Number | None = None
    axis_soft_max: Number | None = None
    axis_grid_show: bool | None = None
    scale_distribution: ScaleDistributionConfig | None = Field(default_factory=ScaleDistributionConfig)
    """Absent, a linear scale (`addAxisConfig`'s default)."""
    axis_centered_zero: bool | None = False
    axis_border_show: bool | None = False


class AxisHideableFieldConfig(AxisFieldConfig, HideableFieldConfig):
    """An axis and the hiding of series: the base of the bar, histogram, timeline and XY kinds."""


class GraphFieldConfig(AxisHideableFieldConfig):
    """A time series' lines, bars or points (also trend's, and a table cell's sparkline)."""

    draw_style: GraphDrawStyle = "line"
    gradient_mode: GraphGradientMode = "none"
    thresholds_style: GraphThresholdsStyleConfig | None = Field(default_factory=GraphThresholdsStyleConfig)
    """Absent, thresholds are not drawn (`mode: off`)."""
    transform: GraphTransform | None = None
    line_color: str | None = None
    line_width: Number = 1
    line_interpolation: LineInterpolation = "linear"
    line_style: LineStyle | None = None
    fill_color: str | None = None
    fill_opacity: Number = 0
    show_points: VisibilityMode = "auto"
    point_size: Number = 5
    point_color: str | None = None
    point_symbol: str | None = None
    bar_alignment: BarAlignment = 0
    bar_width_factor: Number = 0.6
    bar_max_width: Number | None = None
    stacking: StackingConfig | None = None
    insert_nulls: bool | Number = False
    span_nulls: bool | Number = False
    fill_below_to: str | None = None
