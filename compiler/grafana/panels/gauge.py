"""Gauge: one dial per series, its arc coloured by the thresholds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.options import BarGaugeSizing, SingleStatBaseOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import NoCustomFieldConfig, Panel


class GaugeOptions(SingleStatBaseOptions):
    WRITTEN = SingleStatBaseOptions.WRITTEN | {
        "show_threshold_labels",
        "show_threshold_markers",
        "sizing",
        "min_viz_width",
        "min_viz_height",
    }

    show_threshold_labels: bool = False
    show_threshold_markers: bool = True
    sizing: BarGaugeSizing = "auto"
    min_viz_width: int = 75
    min_viz_height: int = 75


class GaugePanel(Panel):
    type: Literal["gauge"] = "gauge"
    options: GaugeOptions = Field(default_factory=GaugeOptions)
    field_config: FieldConfigSource[NoCustomFieldConfig] = Field(default_factory=FieldConfigSource[NoCustomFieldConfig])


KIND = PanelKind("gauge", GaugePanel)
