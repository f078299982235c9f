"""Node graph: a service graph of nodes and edges (Tempo's service map, a topology query)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class NodeGraphOptions(OpenObject):
    nodes: OpenObject | None = None
    """Units and colours of the nodes' main and secondary stats, the arcs."""
    edges: OpenObject | None = None
    zoom_mode: Literal["cooperative", "greedy"] | None = None


class NodeGraphPanel(OpenPanel):
    type: Literal["nodeGraph"] = "nodeGraph"
    options: NodeGraphOptions = Field(default_factory=NodeGraphOptions)


KIND = PanelKind("nodeGraph", NodeGraphPanel, has_unit=False)
