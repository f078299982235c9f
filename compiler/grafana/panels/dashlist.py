"""Dashboard list: starred, recently viewed or searched dashboards, as links."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class DashboardListOptions(OpenObject):
    show_starred: bool = True
    show_recently_viewed: bool = False
    show_search: bool = False
    show_headings: bool = True
    max_items: int = 10
    query: str = ""
    tags: list[str] = Field(default_factory=list)
    folder_uid: str | None = Field(default=None, alias="folderUID")
    include_vars: bool = False
    keep_time: bool = False


class DashboardListPanel(OpenPanel):
    type: Literal["dashlist"] = "dashlist"
    options: DashboardListOptions = Field(default_factory=DashboardListOptions)


KIND = PanelKind("dashlist", DashboardListPanel, has_unit=False)
