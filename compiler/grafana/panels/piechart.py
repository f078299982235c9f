"""Pie chart: each series' reduced value as a slice of a pie or donut."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import HideableFieldConfig
from compiler.grafana.options import SingleStatBaseOptions, VizLegendOptions, VizTooltipOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class PieChartLegendOptions(VizLegendOptions):
    """The legend, which may also show each slice's value or percentage."""

    WRITTEN = VizLegendOptions.WRITTEN | {"values"}

    values: list[Literal["value", "percent"]] = Field(default_factory=list)


class PieChartOptions(SingleStatBaseOptions):
    WRITTEN = SingleStatBaseOptions.WRITTEN | {"pie_type", "tooltip", "legend"}

    pie_type: Literal["pie", "donut"] = "pie"
    display_labels: list[Literal["name", "value", "percent"]] | None = None
    tooltip: VizTooltipOptions = Field(default_factory=VizTooltipOptions)
    legend: PieChartLegendOptions = Field(default_factory=PieChartLegendOptions)


class PieChartPanel(Panel):
    type: Literal["piechart"] = "piechart"
    options: PieChartOptions = Field(default_factory=PieChartOptions)
    field_config: FieldConfigSource[HideableFieldConfig] = Field(default_factory=FieldConfigSource[HideableFieldConfig])


KIND = PanelKind("piechart", PieChartPanel, has_legend=True, angular_predecessors=("grafana-piechart-panel",))
