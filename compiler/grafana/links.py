"""Links on a dashboard, a panel or a field (one shape, the one Grafana's schema requires), and actions.

Grafana saves a panel's or a field's data links with only title, url and targetBlank; its schema types them as
dashboard links, which require the rest. The model gives those their Grafana defaults and always writes them.
"""

from __future__ import annotations

from typing import Any, Literal

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


HttpRequestMethod = Literal["GET", "PUT", "POST", "DELETE", "PATCH"]


class FetchOptions(GrafanaObject):
    """The HTTP request an action sends; headers and query parameters as [name, value] pairs."""

    WRITTEN = frozenset({"method", "url"})

    method: HttpRequestMethod = "POST"
    url: str
    body: str | None = None
    query_params: list[list[str]] | None = None
    headers: list[list[str]] | None = None


class InfinityOptions(FetchOptions):
    """The request, sent through an Infinity datasource (which holds the credentials)."""

    WRITTEN = FetchOptions.WRITTEN | {"datasource_uid"}

    datasource_uid: str


class ActionVariable(GrafanaObject):
    """A value the user is asked for before the action runs."""

    WRITTEN = frozenset({"key", "name", "type"})

    key: str
    name: str
    type: Literal["string"] = "string"


class Action(GrafanaObject):
    """A button on a field's values that sends a request (Grafana 11.3+)."""

    WRITTEN = frozenset({"type", "title"})

    type: Literal["fetch", "infinity"] = "fetch"
    title: str
    fetch: FetchOptions | None = None
    infinity: InfinityOptions | None = None
    confirmation: str | None = None
    one_click: bool | None = None
    variables: list[ActionVariable] | None = None
    style: dict[str, Any] | None = None
