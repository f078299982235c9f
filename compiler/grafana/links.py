"""Links on a dashboard, a panel or a field: one shape, the one Grafana's schema requires.

Grafana saves a panel's or a field's data links with only title, url and targetBlank; its schema types them as
dashboard links, which require the rest. The model gives those their Grafana defaults and always writes them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import GrafanaObject

DashboardLinkType = Literal["link", "dashboards"]


class DashboardLink(GrafanaObject):
    """A link to a URL, or to the dashboards carrying some tags (`type="dashboards"`)."""

    WRITTEN = frozenset(
        {"title", "type", "icon", "tooltip", "tags", "as_dropdown", "target_blank", "include_vars", "keep_time"}
    )

    title: str = ""
    type: DashboardLinkType = "link"
    icon: str = "external link"
    tooltip: str = ""
    url: str | None = None
    tags: list[str] = Field(default_factory=list)
    as_dropdown: bool = False
    placement: Literal["inControlsMenu"] | None = None
    target_blank: bool = False
    include_vars: bool = False
    keep_time: bool = False
