"""State timeline: each series as a band of states over time (up/down, a mapped value)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import AxisHideableFieldConfig
from compiler.grafana.options import TimelineOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class StateTimelineOptions(TimelineOptions):
    merge_values: bool = True
    align_value: Literal["center", "left", "right"] = "left"


class TimelineFieldConfig(AxisHideableFieldConfig):
    """What state timeline and status history draw each band with."""

    line_width: int = 0
    fill_opacity: int = 70


class StateTimelineFieldConfig(TimelineFieldConfig):
    span_nulls: bool | Number | None = None
    insert_nulls: bool | Number | None = None


class StateTimelinePanel(Panel):
    type: Literal["state-timeline"] = "state-timeline"
    options: StateTimelineOptions = Field(default_factory=StateTimelineOptions)
    field_config: FieldConfigSource[StateTimelineFieldConfig] = Field(
        default_factory=FieldConfigSource[StateTimelineFieldConfig]
    )


KIND = PanelKind(
    "state-timeline",
    StateTimelinePanel,
    has_legend=True,
    has_unit=False,
    angular_predecessors=("natel-discrete-panel",),
)
