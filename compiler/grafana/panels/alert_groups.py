"""Alert groups: the alert groups of an Alertmanager datasource, as Alertmanager groups them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class AlertGroupsOptions(OpenObject):
    labels: str = ""
    """Matchers, comma-separated, that the alerts shown carry."""
    alertmanager: str = ""
    """The Alertmanager datasource's name."""
    expand_all: bool = False


class AlertGroupsPanel(OpenPanel):
    type: Literal["alertGroups"] = "alertGroups"
    options: AlertGroupsOptions = Field(default_factory=AlertGroupsOptions)


KIND = PanelKind("alertGroups", AlertGroupsPanel, has_unit=False)
