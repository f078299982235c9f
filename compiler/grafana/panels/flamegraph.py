"""Flame graph: a profile (Pyroscope's) as nested stacks; its options live in the panel's own controls."""

from __future__ import annotations

from typing import Literal

from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class FlameGraphPanel(OpenPanel):
    type: Literal["flamegraph"] = "flamegraph"


KIND = PanelKind("flamegraph", FlameGraphPanel, has_unit=False)
