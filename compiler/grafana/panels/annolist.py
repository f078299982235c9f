"""Annotations list: the annotations of this or every dashboard, as a list linking to their panels."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class AnnotationListOptions(OpenObject):
    only_from_this_dashboard: bool = False
    only_in_time_range: bool = False
    tags: list[str] = Field(default_factory=list)
    limit: int = 10
    show_user: bool = True
    show_time: bool = True
    show_tags: bool = True
    navigate_to_panel: bool = True
    navigate_before: str = "10m"
    navigate_after: str = "10m"


class AnnotationListPanel(OpenPanel):
    type: Literal["annolist"] = "annolist"
    options: AnnotationListOptions = Field(default_factory=AnnotationListOptions)


KIND = PanelKind("annolist", AnnotationListPanel, has_unit=False)
