"""Annotation queries: events drawn over a dashboard's graphs, Grafana's own built-in one first."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from compiler.grafana.common import DataSourceRef, Number
from compiler.grafana.objects import GrafanaObject, OpenObject, SupersededFieldsObject


class AnnotationPanelFilter(GrafanaObject):
    """The panels an annotation is drawn on (or, with `exclude`, is not)."""

    WRITTEN = frozenset({"ids"})

    exclude: bool | None = None
    ids: list[int] = Field(default_factory=list)


class AnnotationQuery(SupersededFieldsObject):
    """One source of annotations: a datasource query, or Grafana's own annotations and alerts (`builtIn`)."""

    WRITTEN = frozenset({"name", "enable", "icon_color"})
    IGNORED = frozenset({"$$hashKey"})
    """AngularJS's change-tracking key, saved by dashboards edited before Grafana 7."""

    name: str
    datasource: DataSourceRef | None = None
    enable: bool = True
    hide: bool | None = False
    icon_color: str = "red"
    filter: AnnotationPanelFilter | None = None
    target: OpenObject | None = None
    """The query, as the datasource defines it (the built-in one: limit, matchAny, tags, type)."""
    type: str | None = None
    built_in: Number | None = None
    placement: Literal["inControlsMenu"] | None = None
    expr: str | None = None
    text_format: str | None = None
    title_format: str | None = None
    tag_keys: str | None = None
    step: str | None = None
    use_value_for_time: bool | None = None
    mappings: dict[str, Any] | None = None


def builtin_annotation() -> AnnotationQuery:
    """Grafana's "Annotations & Alerts", which it adds to every dashboard that lacks it."""
    return AnnotationQuery(
        name="Annotations & Alerts",
        built_in=1,
        datasource=DataSourceRef(type="grafana", uid="-- Grafana --"),
        enable=True,
        hide=True,
        icon_color="rgba(0, 211, 255, 1)",
        target=OpenObject.model_validate({"limit": 100, "matchAny": False, "tags": [], "type": "dashboard"}),
        type="dashboard",
    )


class AnnotationContainer(GrafanaObject):
    """The dashboard's annotation queries; by default Grafana's built-in one."""

    WRITTEN = frozenset({"queries"})

    queries: list[AnnotationQuery] = Field(default_factory=lambda: [builtin_annotation()], alias="list")
