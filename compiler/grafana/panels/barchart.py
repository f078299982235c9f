"""Bar chart: categories (a string or time field, `xField`) against values, grouped or stacked."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import AxisHideableFieldConfig, GraphGradientMode, GraphThresholdsStyleConfig
from compiler.grafana.options import (
    LegendTooltipOptions,
    StackingMode,
    VisibilityMode,
    VizOrientation,
    VizTextDisplayOptions,
)
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class BarChartOptions(LegendTooltipOptions):
    WRITTEN = LegendTooltipOptions.WRITTEN | {
        "orientation",
        "x_tick_label_rotation",
        "x_tick_label_max_length",
        "stacking",
        "show_value",
        "bar_width",
        "group_width",
        "full_highlight",
    }

    x_field: str | None = None
    color_by_field: str | None = None
    orientation: VizOrientation = "auto"
    bar_radius: Number = 0
    x_tick_label_rotation: int = 0
    x_tick_label_max_length: int = 0
    x_tick_label_spacing: int = 0
    stacking: StackingMode = "none"
    show_value: VisibilityMode = "auto"
    bar_width: Number = 0.97
    group_width: Number = 0.7
    text: VizTextDisplayOptions | None = Field(default_factory=VizTextDisplayOptions)
    full_highlight: bool = False


class BarChartFieldConfig(AxisHideableFieldConfig):
    line_width: int = 1
    fill_opacity: int = 80
    gradient_mode: GraphGradientMode = "none"
    thresholds_style: GraphThresholdsStyleConfig | None = Field(default_factory=GraphThresholdsStyleConfig)


class BarChartPanel(Panel):
    type: Literal["barchart"] = "barchart"
    options: BarChartOptions = Field(default_factory=BarChartOptions)
    field_config: FieldConfigSource[BarChartFieldConfig] = Field(default_factory=FieldConfigSource[BarChartFieldConfig])


KIND = PanelKind("barchart", BarChartPanel, has_legend=True)
