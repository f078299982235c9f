"""Stat: one big number per series (its last non-null value unless told otherwise), with a sparkline."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.options import SingleStatBaseOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import NoCustomFieldConfig, Panel


class StatOptions(SingleStatBaseOptions):
    WRITTEN = SingleStatBaseOptions.WRITTEN | {
        "graph_mode",
        "color_mode",
        "justify_mode",
        "text_mode",
        "wide_layout",
        "show_percent_change",
        "percent_change_color_mode",
    }

    graph_mode: Literal["none", "line", "area"] = "area"
    color_mode: Literal["value", "background", "background_solid", "none"] = "value"
    justify_mode: Literal["auto", "center"] = "auto"
    text_mode: Literal["auto", "value", "value_and_name", "name", "none"] = "auto"
    wide_layout: bool = True
    show_percent_change: bool = False
    percent_change_color_mode: Literal["standard", "inverted", "same_as_value"] = "standard"


class StatPanel(Panel):
    type: Literal["stat"] = "stat"
    options: StatOptions = Field(default_factory=StatOptions)
    field_config: FieldConfigSource[NoCustomFieldConfig] = Field(default_factory=FieldConfigSource[NoCustomFieldConfig])


KIND = PanelKind("stat", StatPanel, angular_predecessors=("singlestat", "grafana-singlestat-panel"))
