"""The problems found while converting one dashboard, each with the title of the panel it is about (if any), so
the build can print it at the panel's own source line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardProblem:
    message: str
    """`panel "Title": what is wrong` for a panel's problem; the caller adds the dashboard's title."""
    panel_title: str | None = None


class PanelProblems:
    """Collects a dashboard's problems; the caller adds the dashboard's title and locates each."""

    def __init__(self) -> None:
        self.found: list[DashboardProblem] = []

    def add(self, panel: dict[str, Any], message: str) -> None:
        kind = "row" if panel.get("type") == "row" else "panel"
        title = panel.get("title")
        title_text = title if isinstance(title, str) else None
        self.found.append(DashboardProblem(f"{kind} {title or '(untitled)'!r}: {message}", title_text))

    def add_dashboard(self, message: str) -> None:
        self.found.append(DashboardProblem(message))

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.found]
