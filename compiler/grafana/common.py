"""The small objects every part of a dashboard refers to: datasources, positions, matchers, transformations."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from compiler.grafana.objects import GrafanaObject

Number = int | float
"""A JSON number: an int stays an int (80 is written back as 80, not 80.0)."""

DataTopic = Literal["series", "annotations", "alertStates"]


class DataSourceRef(GrafanaObject):
    """Which datasource a panel, query or variable reads: its plugin `type` and its `uid` (a `${var}` too)."""

    type: str | None = None
    uid: str | None = None


class GridPos(GrafanaObject):
    """Where a panel sits on the dashboard's 24-column grid, in grid units."""

    WRITTEN = frozenset({"h", "w", "x", "y"})

    h: int = 9
    w: int = 12
    x: int = 0
    y: int = 0
    static: bool | None = None


class MatcherConfig(GrafanaObject):
    """A predicate choosing fields or frames (`byName`, `byRegexp`...); its options depend on the matcher.

    Grafana's schema says the options are an object, but `byName` and `byRegexp` take a string: kept as given.
    """

    WRITTEN = frozenset({"id"})

    id: str = ""
    options: Any = None


class DynamicConfigValue(GrafanaObject):
    """One property an override sets (`custom.transform`, `color`...): any JSON value, as Grafana keeps it."""

    WRITTEN = frozenset({"id"})

    id: str = ""
    value: Any = None


class DataTransformerConfig(GrafanaObject):
    """One transformation of a panel's query results; its options depend on the transformer `id`."""

    WRITTEN = frozenset({"id", "options"})

    id: str
    disabled: bool | None = None
    filter: MatcherConfig | None = None
    topic: DataTopic | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class LibraryPanelRef(GrafanaObject):
    """A reference to a library panel, which Grafana loads in place of the panel's own model."""

    name: str
    uid: str
