"""Bar gauge: one bar per series, filled to its value and coloured by the thresholds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.options import (
    BarGaugeDisplayMode,
    BarGaugeSizing,
    BarGaugeValueMode,
    SingleStatBaseOptions,
    VizLegendOptions,
)
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import NoCustomFieldConfig, Panel


class BarGaugeOptions(SingleStatBaseOptions):
    WRITTEN = SingleStatBaseOptions.WRITTEN | {
        "display_mode",
        "value_mode",
        "name_placement",
        "show_unfilled",
        "sizing",
        "min_viz_width",
        "min_viz_height",
        "max_viz_height",
        "legend",
    }

    display_mode: BarGaugeDisplayMode = "gradient"
    value_mode: BarGaugeValueMode = "color"
    name_placement: Literal["auto", "top", "left", "hidden"] = "auto"
    show_unfilled: bool = True
    sizing: BarGaugeSizing = "auto"
    min_viz_width: int = 8
    min_viz_height: int = 16
    max_viz_height: int = 300
    legend: VizLegendOptions = Field(default_factory=lambda: VizLegendOptions(show_legend=False))


class BarGaugePanel(Panel):
    type: Literal["bargauge"] = "bargauge"
    options: BarGaugeOptions = Field(default_factory=BarGaugeOptions)
    field_config: FieldConfigSource[NoCustomFieldConfig] = Field(default_factory=FieldConfigSource[NoCustomFieldConfig])


KIND = PanelKind("bargauge", BarGaugePanel)
