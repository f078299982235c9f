"""Status history: each series as a row of cells over time, one cell per sample, coloured by its value."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.options import TimelineOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel
from compiler.grafana.panels.state_timeline import TimelineFieldConfig


class StatusHistoryOptions(TimelineOptions):
    col_width: Number = 0.9


class StatusHistoryFieldConfig(TimelineFieldConfig):
    line_width: int = 1


class StatusHistoryPanel(Panel):
    type: Literal["status-history"] = "status-history"
    options: StatusHistoryOptions = Field(default_factory=StatusHistoryOptions)
    field_config: FieldConfigSource[StatusHistoryFieldConfig] = Field(
        default_factory=FieldConfigSource[StatusHistoryFieldConfig]
    )


KIND = PanelKind(
    "status-history",
    StatusHistoryPanel,
    has_legend=True,
    has_unit=False,
    angular_predecessors=("flant-statusmap-panel",),
)
