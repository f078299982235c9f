"""Time series: lines, bars or points over time; Grafana's default visualization."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import GraphFieldConfig
from compiler.grafana.options import LegendTooltipOptions, TimeZone, VizOrientation
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class TimeSeriesOptions(LegendTooltipOptions):
    timezone: list[TimeZone] | None = None
    orientation: VizOrientation | None = None


class TimeSeriesPanel(Panel):
    type: Literal["timeseries"] = "timeseries"
    options: TimeSeriesOptions = Field(default_factory=TimeSeriesOptions)
    field_config: FieldConfigSource[GraphFieldConfig] = Field(default_factory=FieldConfigSource[GraphFieldConfig])


KIND = PanelKind("timeseries", TimeSeriesPanel, has_legend=True, angular_predecessors=("graph",))
