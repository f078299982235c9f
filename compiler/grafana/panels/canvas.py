"""Canvas: elements (metric values, text, icons, shapes) placed freely and bound to data."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class CanvasOptions(OpenObject):
    inline_editing: bool = True
    show_advanced_types: bool = True
    pan_zoom: bool | None = None
    root: OpenObject | None = None
    """The tree of elements, each with its placement, constraint and data bindings."""


class CanvasPanel(OpenPanel):
    type: Literal["canvas"] = "canvas"
    options: CanvasOptions = Field(default_factory=CanvasOptions)


KIND = PanelKind("canvas", CanvasPanel, has_unit=False)
