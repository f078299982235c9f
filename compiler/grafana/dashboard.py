"""A dashboard (Grafana's classic JSON model, schemaVersion 41): its settings, variables, annotations, links
and panels, rows among them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from compiler.grafana.annotations import AnnotationContainer
from compiler.grafana.links import DashboardLink
from compiler.grafana.objects import GrafanaObject, SupersededFieldsObject
from compiler.grafana.panels import DashboardPanel
from compiler.grafana.variables import Templating

SCHEMA_VERSION = 41
"""The version of Grafana's dashboard model this one follows (Grafana 12.0-12.2 save it)."""


class TimeRange(GrafanaObject):
    """The default time range: relative (`now-6h`) or absolute times."""

    WRITTEN = frozenset({"from_", "to"})

    from_: str = Field(default="now-6h", alias="from")
    to: str = "now"


class TimeOption(GrafanaObject):
    """A quick range offered in the time picker."""

    display: str
    from_: str = Field(alias="from")
    to: str


class TimePickerConfig(SupersededFieldsObject):
    """The time picker: hidden or not, its refresh intervals and quick ranges."""

    IGNORED = frozenset({"time_options", "now", "enable", "status", "type", "collapse", "notice"})
    """Options of the AngularJS time picker, gone since Grafana 7."""

    hidden: bool | None = None
    refresh_intervals: list[str] | None = Field(default=None, alias="refresh_intervals")
    quick_ranges: list[TimeOption] | None = Field(default=None, alias="quick_ranges")
    now_delay: str | None = None


class Dashboard(SupersededFieldsObject):
    """One dashboard. `panels` lists rows and panels in layout order; a collapsed row holds its own."""

    WRITTEN = frozenset({"schema_version", "templating", "annotations", "panels"})
    IGNORED = frozenset({"__inputs", "__requires", "__elements", "style", "hideControls"})
    """What an export for sharing adds (`__inputs`...), and settings of Grafana before 5 it no longer reads."""

    id: int | None = None
    uid: str | None = None
    title: str | None = None
    description: str | None = ""
    revision: int | None = None
    gnet_id: str | None = None
    """The grafana.com dashboard it came from; exports write a number, Grafana's schema a string."""
    tags: list[str] = Field(default_factory=list)
    timezone: str = "browser"
    editable: bool = True
    graph_tooltip: Literal[0, 1, 2] = 0
    """0: each panel its own tooltip; 1: a shared crosshair; 2: a shared crosshair and tooltip."""
    time: TimeRange | None = None
    timepicker: TimePickerConfig | None = Field(default_factory=TimePickerConfig)
    fiscal_year_start_month: int = 0
    live_now: bool | None = False
    week_start: str | None = ""
    """Empty, the user's or the browser's first day of the week."""
    refresh: str | None = None
    schema_version: int = SCHEMA_VERSION
    version: int | None = 0
    """Grafana's count of saves; a dashboard without one reads as 0, the server sets it on save."""
    panels: list[DashboardPanel] = Field(default_factory=list)
    templating: Templating = Field(default_factory=Templating)
    annotations: AnnotationContainer = Field(default_factory=AnnotationContainer)
    links: list[DashboardLink] = Field(default_factory=list)
    snapshot: dict[str, Any] | None = None
    preload: bool | None = None
    rows: list[Any] = Field(default_factory=list, exclude=True)
    """Grafana's layout before version 5: only an empty list is accepted (migrate older dashboards first)."""

    @field_validator("rows")
    @classmethod
    def _no_legacy_rows(cls, rows: list[Any]) -> list[Any]:
        if rows:
            raise ValueError("the layout of Grafana before 5.0: import the dashboard to migrate it first")
        return rows

    @field_validator("gnet_id", mode="before")
    @classmethod
    def _gnet_id_text(cls, gnet_id: Any) -> Any:
        return str(gnet_id) if isinstance(gnet_id, int) and not isinstance(gnet_id, bool) else gnet_id

    @field_validator("refresh", mode="before")
    @classmethod
    def _no_refresh(cls, refresh: Any) -> Any:
        """Grafana saves `refresh: false` for a dashboard that does not refresh by itself."""
        return None if refresh is False else refresh
