"""The fields every panel has (Grafana's `Panel`), the open panel of an unknown plugin, and the row.

A panel kind (one module of this package) subclasses `Panel`, narrowing `type` to its own, `options` to its
options model and `field_config` to `FieldConfigSource[its custom model]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import Field, ValidationInfo, ValidatorFunctionWrapHandler, field_validator

from compiler.grafana.common import DataSourceRef, DataTransformerConfig, GridPos, LibraryPanelRef, Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.links import DashboardLink
from compiler.grafana.objects import GrafanaObject, OpenObject, SupersededFieldsObject
from compiler.grafana.targets import Target, targets_of_panel


class NoCustomFieldConfig(GrafanaObject):
    """The `custom` field config of a kind that has none (stat, gauge, text...)."""


class Panel(SupersededFieldsObject):
    """What every panel has: its type, title, place, queries, transformations, links, options."""

    WRITTEN = frozenset({"type", "options", "field_config"})

    type: str
    id: int | None = None
    plugin_version: str | None = None
    title: str | None = None
    description: str | None = ""
    transparent: bool | None = None
    datasource: DataSourceRef | None = None
    grid_pos: GridPos | None = None
    links: list[DashboardLink] = Field(default_factory=list)
    repeat: str | None = None
    repeat_direction: Literal["h", "v"] | None = None
    max_per_row: Number | None = None
    max_data_points: Number | None = None
    interval: str | None = ""
    """The minimum query step; empty, the datasource's."""
    time_from: str | None = None
    time_shift: str | None = None
    hide_time_override: bool | None = None
    time_compare: str | None = None
    library_panel: LibraryPanelRef | None = None
    cache_timeout: str | None = None
    query_caching_ttl: Number | None = Field(default=None, alias="queryCachingTTL")
    targets: list[Target] = Field(default_factory=list)
    transformations: list[DataTransformerConfig] = Field(default_factory=list)
    options: GrafanaObject = Field(default_factory=OpenObject)
    field_config: FieldConfigSource[GrafanaObject] = Field(default_factory=FieldConfigSource[GrafanaObject])

    @field_validator("targets", mode="wrap")
    @classmethod
    def _targets_of_panel_datasource(
        cls, targets: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        return targets_of_panel(targets, info.data.get("datasource"), handler)


class OpenPanel(Panel):
    """A panel of a type no module here models (a third-party plugin): its options kept as given."""

    options: OpenObject = Field(default_factory=OpenObject)
    field_config: FieldConfigSource[OpenObject] = Field(default_factory=FieldConfigSource[OpenObject])


if TYPE_CHECKING:
    KindPanel: TypeAlias = Panel
    """At run time, the union of every kind's panel and `OpenPanel`, which `compiler.grafana.panels` builds."""


class RowPanel(SupersededFieldsObject):
    """A row: a title bar over the panels below it; a collapsed row holds its panels in `panels`."""

    WRITTEN = frozenset({"type", "collapsed", "id", "panels"})
    IGNORED = frozenset({"targets"})
    """A row runs no query; the targets some rows keep are leftovers of the panel they were made from."""

    type: Literal["row"] = "row"
    collapsed: bool = False
    title: str | None = None
    datasource: DataSourceRef | None = None
    grid_pos: GridPos | None = None
    id: int | None = None
    """Required by Grafana's schema: the writer numbers a row left without one."""
    panels: list[KindPanel] = Field(default_factory=list)
    repeat: str | None = None
