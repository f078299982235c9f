"""The choice lines of a migration: one line per decision a reader of the imported dashboard should know."""

from __future__ import annotations

from typing import Any

_TITLES_LISTED = 5


class PanelNotes:
    """Choice lines about one panel, each prefixed by its title and type change so a line stands alone."""

    def __init__(self, lines: list[str], shared: dict[str, list[str]], panel: dict[str, Any], change: str) -> None:
        self._lines = lines
        self._shared = shared
        self._title = quoted(panel.get("title") or "")
        self._change = change

    def add(self, text: str) -> None:
        self._lines.append(f"panel {self._title} ({self._change}): {text}")

    def add_shared(self, text: str) -> None:
        """A choice many panels may share (a dashboard's habit, not one panel's): said once, naming the panels."""
        self._shared.setdefault(f"{self._change}: {text}", []).append(self._title)


def shared_lines(shared: dict[str, list[str]]) -> list[str]:
    """One line per shared choice: how many panels made it and the first few titles."""
    lines = []
    for text, titles in shared.items():
        distinct = list(dict.fromkeys(titles))
        listed = ", ".join(distinct[:_TITLES_LISTED]) + (", ..." if len(distinct) > _TITLES_LISTED else "")
        lines.append(f"{len(titles)} panel(s) ({listed}), {text}")
    return lines


def quoted(value: Any) -> str:
    """A value as JSON would spell it (strings in double quotes), so a choice line names it unambiguously."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(quoted(item) for item in value) + "]"
    return str(value)
