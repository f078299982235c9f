"""News: the items of an RSS feed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class NewsOptions(OpenObject):
    feed_url: str | None = None
    """Grafana's blog when left out."""
    show_image: bool = True


class NewsPanel(OpenPanel):
    type: Literal["news"] = "news"
    options: NewsOptions = Field(default_factory=NewsOptions)


KIND = PanelKind("news", NewsPanel, has_unit=False)
