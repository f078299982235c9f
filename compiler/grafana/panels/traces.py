"""Traces: one trace's spans as a waterfall (a Tempo or Jaeger trace query)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class TracesOptions(OpenObject):
    span_filters: OpenObject | None = None
    """The span filter bar's state: service, span name, duration, tags."""


class TracesPanel(OpenPanel):
    type: Literal["traces"] = "traces"
    options: TracesOptions = Field(default_factory=TracesOptions)


KIND = PanelKind("traces", TracesPanel, has_unit=False)
