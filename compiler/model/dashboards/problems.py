"""The problems found while converting one dashboard's panels, as `panel "Title": message` lines."""

from __future__ import annotations

from typing import Any


class PanelProblems:
    """Collects a dashboard's panel problems; the caller adds the dashboard's title and location."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, panel: dict[str, Any], message: str) -> None:
        kind = "row" if panel.get("type") == "row" else "panel"
        self.messages.append(f"{kind} {panel.get('title') or '(untitled)'!r}: {message}")
