"""Geomap: values placed on a map by coordinates, geohash or a lookup of names, in layers over a basemap."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import Number
from compiler.grafana.dimensions import MapLayerOptions
from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class MapView(OpenObject):
    id: str = "zero"
    """`zero` (the whole world), `fit` (the data), `coords` (lat, lon, zoom)."""
    lat: Number = 0
    lon: Number = 0
    zoom: Number = 1


class MapControls(OpenObject):
    show_zoom: bool = True
    mouse_wheel_zoom: bool = True
    show_attribution: bool = True


class GeomapOptions(OpenObject):
    view: MapView = Field(default_factory=MapView)
    controls: MapControls = Field(default_factory=MapControls)
    basemap: MapLayerOptions | None = None
    layers: list[MapLayerOptions] = Field(default_factory=list)
    tooltip: OpenObject | None = None


class GeomapPanel(OpenPanel):
    type: Literal["geomap"] = "geomap"
    options: GeomapOptions = Field(default_factory=GeomapOptions)


KIND = PanelKind("geomap", GeomapPanel, has_unit=False, angular_predecessors=("grafana-worldmap-panel",))
