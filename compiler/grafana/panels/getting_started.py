"""Getting started: the setup checklist of Grafana's home dashboard; nothing to configure."""

from __future__ import annotations

from typing import Literal

from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class GettingStartedPanel(OpenPanel):
    type: Literal["gettingstarted"] = "gettingstarted"


KIND = PanelKind("gettingstarted", GettingStartedPanel, has_unit=False)
