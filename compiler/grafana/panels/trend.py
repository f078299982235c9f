"""Trend: series plotted against a numeric field other than time (`xField`), drawn like a time series."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import GraphFieldConfig
from compiler.grafana.options import LegendTooltipOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class TrendOptions(LegendTooltipOptions):
    x_field: str | None = None
    """The field on the x axis; the first numeric one when left out."""


class TrendPanel(Panel):
    type: Literal["trend"] = "trend"
    options: TrendOptions = Field(default_factory=TrendOptions)
    field_config: FieldConfigSource[GraphFieldConfig] = Field(default_factory=FieldConfigSource[GraphFieldConfig])


KIND = PanelKind("trend", TrendPanel, has_legend=True)
