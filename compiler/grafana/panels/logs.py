"""Logs: log lines (a Loki query's), with their labels and details; no unit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.objects import GrafanaObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import NoCustomFieldConfig, Panel


class LogsOptions(GrafanaObject):
    WRITTEN = frozenset(
        {
            "show_labels",
            "show_common_labels",
            "show_time",
            "show_log_context_toggle",
            "wrap_log_message",
            "prettify_log_message",
            "enable_log_details",
            "sort_order",
            "dedup_strategy",
        }
    )

    show_labels: bool = False
    show_common_labels: bool = False
    show_time: bool = False
    show_log_context_toggle: bool = False
    wrap_log_message: bool = False
    prettify_log_message: bool = False
    enable_log_details: bool = True
    sort_order: Literal["Descending", "Ascending"] = "Descending"
    dedup_strategy: Literal["none", "exact", "numbers", "signature"] = "none"
    enable_infinite_scrolling: bool | None = None
    show_controls: bool | None = None
    show_field_selector: bool | None = None
    syntax_highlighting: bool | None = None
    font_size: Literal["default", "small"] | None = None
    details_mode: Literal["inline", "sidebar"] | None = None


class LogsPanel(Panel):
    type: Literal["logs"] = "logs"
    options: LogsOptions = Field(default_factory=LogsOptions)
    field_config: FieldConfigSource[NoCustomFieldConfig] = Field(default_factory=FieldConfigSource[NoCustomFieldConfig])


KIND = PanelKind("logs", LogsPanel, has_unit=False)
