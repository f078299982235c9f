"""Values bound to data (Grafana's dimensions): a fixed value, or one read from a field, for a size, a colour,
a text, an icon; and where a row is on a map. Geomap layers and canvas elements are built from them."""

from __future__ import annotations

from typing import Literal

from compiler.grafana.common import Number
from compiler.grafana.objects import GrafanaObject, OpenObject


class ScaleDimensionConfig(GrafanaObject):
    """A size between `min` and `max`, fixed or scaled from a field."""

    WRITTEN = frozenset({"min", "max"})

    min: Number = 0
    max: Number = 0
    fixed: Number | None = None
    field: str | None = None
    mode: Literal["linear", "quad"] | None = None


class ScalarDimensionConfig(GrafanaObject):
    """A number (a rotation...), fixed or from a field, wrapped or clamped to min..max."""

    WRITTEN = frozenset({"min", "max"})

    min: Number = 0
    max: Number = 0
    fixed: Number | None = None
    field: str | None = None
    mode: Literal["mod", "clamped"] | None = None


class ColorDimensionConfig(GrafanaObject):
    """A colour, fixed or from a field's thresholds or scheme."""

    fixed: str | None = None
    field: str | None = None


class TextDimensionConfig(GrafanaObject):
    """A text, fixed, from a field, or a template."""

    WRITTEN = frozenset({"mode"})

    mode: Literal["fixed", "field", "template"] = "fixed"
    field: str | None = None
    fixed: str | None = None


class ResourceDimensionConfig(GrafanaObject):
    """An icon or image, fixed, from a field, or mapped from values."""

    WRITTEN = frozenset({"mode"})

    mode: Literal["fixed", "field", "mapping"] = "fixed"
    field: str | None = None
    fixed: str | None = None


class FrameGeometrySource(GrafanaObject):
    """Where each row is on a map: guessed, a geohash, coordinates, or a lookup of names in a gazetteer."""

    WRITTEN = frozenset({"mode"})

    mode: Literal["auto", "geohash", "coords", "lookup"] = "auto"
    geohash: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    wkt: str | None = None
    lookup: str | None = None
    gazetteer: str | None = None


class MapLayerOptions(GrafanaObject):
    """A map layer (`markers`, `heatmap`, `route`, a basemap...); its `config` depends on the layer type."""

    WRITTEN = frozenset({"type", "name"})

    type: str
    name: str = ""
    config: OpenObject | None = None
    location: FrameGeometrySource | None = None
    filter_data: OpenObject | None = None
    opacity: Number | None = None
    """Grafana saves a fraction (0.4), though its schema says integer."""
    tooltip: bool | None = None
