"""Welcome: the banner of Grafana's home dashboard; nothing to configure."""

from __future__ import annotations

from typing import Literal

from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class WelcomePanel(OpenPanel):
    type: Literal["welcome"] = "welcome"


KIND = PanelKind("welcome", WelcomePanel, has_unit=False)
