"""Histogram: the distribution of a series' values, bucketed here (not a Prometheus histogram: see heatmap)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import AxisHideableFieldConfig, GraphGradientMode, StackingConfig
from compiler.grafana.options import LegendTooltipOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class HistogramOptions(LegendTooltipOptions):
    bucket_count: int = 30
    bucket_size: int | None = None
    bucket_offset: Number = 0
    combine: bool | None = None


class HistogramFieldConfig(AxisHideableFieldConfig):
    line_width: int = 1
    fill_opacity: int = 80
    gradient_mode: GraphGradientMode = "none"
    stacking: StackingConfig | None = None


class HistogramPanel(Panel):
    type: Literal["histogram"] = "histogram"
    options: HistogramOptions = Field(default_factory=HistogramOptions)
    field_config: FieldConfigSource[HistogramFieldConfig] = Field(
        default_factory=FieldConfigSource[HistogramFieldConfig]
    )


KIND = PanelKind("histogram", HistogramPanel, has_legend=True)
