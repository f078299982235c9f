"""A legacy dashboard migrated as a whole: layout, panels, variables, annotations and dashboard fields.

The steps follow Grafana's DashboardMigrator from the dashboard's schemaVersion up to 39: the shared crosshair
becomes `graphTooltip` (v14), rows become grid positions (v16), panels of AngularJS types become their modern
counterparts (graph → timeseries, singlestat → stat or gauge, the old table → table), datasource names become
references (v33, v36). Fields Grafana removed from the dashboard (`rows`, `style`, `hideControls`) go. The input
is not changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from compiler.grafana.legacy.notes import quoted, shared_lines
from compiler.grafana.legacy.panels import PanelReport, migrate_panels
from compiler.grafana.legacy.rows import rows_to_panels
from compiler.grafana.legacy.templating import upgrade_annotations, upgrade_variables
from compiler.grafana.legacy.values import number

SCHEMA_VERSION = 39
_REMOVED_FIELDS = ("rows", "style", "hideControls", "sharedCrosshair", "nav")


@dataclass(frozen=True)
class MigratedDashboard:
    """The modern dashboard JSON and the choice lines to show beside it (in a comment of the import)."""

    document: dict[str, Any]
    choices: list[str] = field(default_factory=list)


def migrate_dashboard(data: dict[str, Any]) -> MigratedDashboard:
    """Migrate a dashboard's JSON to schemaVersion 39, each panel of a modern type."""
    document = copy.deepcopy(data)
    choices: list[str] = []
    schema_version = int(number(document.get("schemaVersion")) or 0)
    if "sharedCrosshair" in document and "graphTooltip" not in document:
        document["graphTooltip"] = 1 if document["sharedCrosshair"] else 0
    if document.get("hideControls"):
        choices.append("hideControls: the variables bar is shown (hiding it is now per variable)")
    panels = [panel for panel in document.get("panels") or [] if isinstance(panel, dict)]
    if isinstance(document.get("rows"), list):
        panels.extend(rows_to_panels(document["rows"], choices))
    for removed in _REMOVED_FIELDS:
        document.pop(removed, None)
    report = PanelReport(choices)
    document["panels"] = migrate_panels(panels, schema_version, report)
    upgrade_variables(document.get("templating"), choices)
    upgrade_annotations(document.get("annotations"))
    document["schemaVersion"] = max(schema_version, SCHEMA_VERSION)
    choices.extend(_dashboard_wide_lines(report))
    return MigratedDashboard(document=document, choices=choices)


def _dashboard_wide_lines(report: PanelReport) -> list[str]:
    """Choice lines about decisions repeated over many panels, said once."""
    lines = shared_lines(report.shared)
    lines += [
        f'datasource {quoted(name)} (a name) → {{"uid": {quoted(name)}}} in {count} panel(s): Grafana looks the '
        "name up to write its uid and type; check the uid on the target Grafana"
        for name, count in report.guessed_sources.items()
    ]
    if report.steps_dropped:
        lines.append(
            f"queries: `step` dropped from {report.steps_dropped} (Grafana 4 saved the step it computed; no later "
            "Grafana reads it; `intervalFactor` is kept)"
        )
    return lines
