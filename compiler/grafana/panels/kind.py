"""What moncc knows about one panel type: its model, and the facts lint, import and the writers ask about."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from compiler.grafana.panels.panel import Panel


@dataclass(frozen=True)
class PanelKind:
    """One panel type of Grafana 11/12 (`type` in the JSON)."""

    type: str
    panel: builtins.type[Panel]
    """The panel's model: its `options` and `fieldConfig.defaults.custom` typed, with Grafana's defaults."""
    has_legend: bool = False
    """Whether it draws a series legend (lint: a legend needs names; the writer: a legend object)."""
    has_unit: bool = True
    """Whether it shows its values in the one unit `fieldConfig.defaults.unit` names, so a panel without one
    shows bare numbers (lint: `dashboard/panel-unit-missing`). Not so for text, tables (each column its own
    unit), states (timelines), maps, canvases, and the heatmap (its axis unit is `options.yAxis.unit`)."""
    angular_predecessors: tuple[str, ...] = ()
    """The AngularJS panel types Grafana migrates into this one (`graph` → `timeseries`); see `legacy/`."""
