"""Each panel of a legacy dashboard given a modern type, the way Grafana changes an AngularJS panel's plugin.

A migrated panel starts from the fields every panel keeps (`panel_fields`) and gets its new type's options and
field config from that type's migration; the AngularJS options left over are dropped, as Grafana drops them.
Panels of other types keep every field (one without modern `options`, an AngularJS plugin this package does
not convert, is a choice line); a row panel's own panels are migrated the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compiler.grafana.legacy.graph import migrate_graph
from compiler.grafana.legacy.notes import PanelNotes
from compiler.grafana.legacy.panel_fields import datasource_ref, kept_fields, upgrade_links, upgrade_targets
from compiler.grafana.legacy.singlestat import migrate_singlestat
from compiler.grafana.legacy.table import is_angular_table, migrate_table

Migration = Callable[[dict[str, Any], dict[str, Any], PanelNotes], None]


def migrate_panels(panels: list[Any], schema_version: int, report: PanelReport) -> list[Any]:
    """Every panel (and every panel inside a row) migrated to a modern type; the rest upgraded in place."""
    migrated = []
    for panel in panels:
        if not isinstance(panel, dict):
            migrated.append(panel)
            continue
        new = _migrated(panel, schema_version, report)
        if new.get("type") == "row" and isinstance(new.get("panels"), list):
            new["panels"] = migrate_panels(new["panels"], schema_version, report)
        migrated.append(new)
    return migrated


class PanelReport:
    """The choice lines of the panel migrations, and the counts that make dashboard-wide lines."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.shared: dict[str, list[str]] = {}
        self.steps_dropped = 0
        self.guessed_sources: dict[str, int] = {}

    def datasource(self, value: Any) -> dict[str, Any] | None:
        """The reference for a datasource value, counting plain names (whose reference is a guess)."""
        reference = datasource_ref(value)
        if isinstance(value, str) and reference == {"uid": value} and not value.startswith("$"):
            self.guessed_sources[value] = self.guessed_sources.get(value, 0) + 1
        return reference


def _migrated(panel: dict[str, Any], schema_version: int, report: PanelReport) -> dict[str, Any]:
    old_type = str(panel.get("type"))
    new_type, migration = _new_type(panel, schema_version)
    new = kept_fields(panel) if migration is not None else dict(panel)
    if migration is not None:
        new["type"] = new_type
        notes = PanelNotes(report.lines, report.shared, panel, f"{old_type} → {new_type}")
        migration(panel, new, notes)
    elif old_type != "row" and not isinstance(panel.get("options"), dict):
        PanelNotes(report.lines, report.shared, panel, old_type).add(
            "no modern options; kept as saved for Grafana's own plugin migration when the dashboard loads"
        )
    new.pop("minSpan", None)
    reference = report.datasource(panel.get("datasource"))
    if reference is None:
        new.pop("datasource", None)
    else:
        new["datasource"] = reference
    if isinstance(new.get("targets"), list):
        report.steps_dropped += upgrade_targets(new["targets"])
    if isinstance(new.get("links"), list):
        new["links"] = upgrade_links(new["links"])
    return new


def _new_type(panel: dict[str, Any], schema_version: int) -> tuple[str, Migration | None]:
    panel_type = panel.get("type")
    if panel_type == "graph":
        return "timeseries", migrate_graph
    if panel_type in ("singlestat", "grafana-singlestat-panel"):
        gauge = panel.get("gauge")
        return ("gauge" if isinstance(gauge, dict) and gauge.get("show") else "stat"), migrate_singlestat
    if is_angular_table(panel, schema_version):
        return "table", migrate_table
    if panel_type == "text" and "content" in panel and not isinstance(panel.get("options"), dict):
        return "text", _migrate_text
    return str(panel_type), None


def _migrate_text(panel: dict[str, Any], new: dict[str, Any], notes: PanelNotes) -> None:
    """The AngularJS text panel kept its content and mode beside the panel; they are the text panel's options.

    Its plain "text" mode is gone: Grafana shows such content as markdown.
    """
    mode = panel.get("mode") or "markdown"
    if mode == "text":
        notes.add('mode "text" is gone; the content is shown as markdown')
        mode = "markdown"
    new["options"] = {"content": str(panel.get("content") or ""), "mode": mode}
