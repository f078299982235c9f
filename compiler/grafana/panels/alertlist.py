"""Alert list: Grafana-managed alerts (or one Alertmanager datasource's), filtered by state, folder, labels."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class AlertStateFilter(OpenObject):
    firing: bool = True
    pending: bool = True
    no_data: bool = False
    normal: bool = False
    error: bool = True


class AlertListOptions(OpenObject):
    view_mode: Literal["list", "stat"] = "list"
    group_mode: Literal["default", "custom"] = "default"
    group_by: list[str] = Field(default_factory=list)
    max_items: int = 20
    sort_order: int = 1
    dashboard_alerts: bool = False
    alert_name: str = ""
    alert_instance_label_filter: str = ""
    datasource: str | None = None
    """An Alertmanager datasource's name, to list its alerts instead of Grafana's."""
    state_filter: AlertStateFilter = Field(default_factory=AlertStateFilter)


class AlertListPanel(OpenPanel):
    type: Literal["alertlist"] = "alertlist"
    options: AlertListOptions = Field(default_factory=AlertListOptions)


KIND = PanelKind("alertlist", AlertListPanel, has_unit=False)
