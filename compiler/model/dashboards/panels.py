"""One grafanalib panel (as grafanalib serialises it) → the panel Grafana 11/12 stores, or a problem.

grafanalib writes fields Grafana dropped long ago (`span`, `editable`, `error`, `minSpan`...) next to the modern
ones. A legacy field still at grafanalib's default is dropped; one the author changed either moves to its modern
place (`span` → `gridPos.w`, a table's `mappings` → `fieldConfig.defaults.mappings`) or becomes a problem, so
nothing the author set is lost silently. Panels that need AngularJS are refused with their modern replacement
named.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.panels import Panel, RowPanel
from compiler.model.dashboards.migrations import migrate
from compiler.model.dashboards.options import modern_field_config
from compiler.model.dashboards.problems import PanelProblems
from compiler.model.dashboards.targets import datasource_ref, modern_targets

ANGULAR_REPLACEMENTS = {
    "graph": "TimeSeries (panel type 'timeseries')",
    "singlestat": "Stat (panel type 'stat')",
    "table-old": "Table, grafanalib's newer table panel (panel type 'table')",
    "grafana-piechart-panel": "PieChartv2 (panel type 'piechart')",
    "grafana-worldmap-panel": "a geomap panel (panel type 'geomap')",
    "natel-discrete-panel": "StateTimeline (panel type 'state-timeline')",
    "flant-statusmap-panel": "StateTimeline (panel type 'state-timeline') or a 'status-history' panel",
    "marcuscalidus-svg-panel": "a canvas panel (panel type 'canvas')",
    "larona-epict-panel": "a canvas panel (panel type 'canvas') with a background image",
}
"""Panel types that only AngularJS can draw (grafanalib `Graph`, `SingleStat`, `Table(type='table-old')`,
`PieChart`, `Worldmap`, `Discrete`, `Statusmap`, `Svg`, `ePict`), and what to use instead."""

PANEL_KEYS = frozenset(field.alias or name for name, field in Panel.model_fields.items())
ROW_KEYS = frozenset(field.alias or name for name, field in RowPanel.model_fields.items())
"""The fields of Grafana's panel and row models: anything else grafanalib writes is legacy."""
SIZING_KEYS = ("span", "height")
"""grafanalib's sizes, kept on the converted panel until the layout turns them into `gridPos`."""

_LEGACY_DEFAULTS: dict[str, Any] = {
    "editable": True,
    "error": False,
    "minSpan": None,
    "fontSize": "100%",
    "columns": [],
    "thresholds": [],
    "thresholdType": "absolute",
}
"""Fields grafanalib writes that Grafana's panel model no longer has, at the value that means "not set"."""

_PANEL_DEFAULTS: dict[str, Any] = {
    "maxDataPoints": 100,
    "hideTimeOverride": False,
    "transparent": False,
    "links": [],
    "transformations": [],
}
"""grafanalib's defaults for modern fields; left out so Grafana applies its own (e.g. points from panel width)."""
_ABSENT = object()


def modern_panel(
    raw: dict[str, Any], datasource: dict[str, str], problems: PanelProblems, grafanalib: bool = True
) -> dict[str, Any] | None:
    """The modern form of one non-row panel, with `span`/`height` kept for the layout; None if it is refused.
    Panels grafanalib wrote are first moved out of the old shapes some of its classes write (`migrations.py`)."""
    panel_type = str(raw.get("type", ""))
    if panel_type in ANGULAR_REPLACEMENTS:
        problems.add(
            raw,
            f"panel type {panel_type!r} needs AngularJS, which Grafana 11 turns off; "
            f"use {ANGULAR_REPLACEMENTS[panel_type]} instead",
        )
        return None
    panel = dict(raw)
    if grafanalib:
        migrate(panel, problems)
    _check_legacy(panel, problems)
    kept = {
        key: value
        for key, value in panel.items()
        if value is not None
        and (key in SIZING_KEYS or (key in PANEL_KEYS and _PANEL_DEFAULTS.get(key, _ABSENT) != value))
    }
    result: dict[str, Any] = kept
    result["datasource"] = datasource_ref(result.get("datasource"), datasource)
    result["targets"] = modern_targets(result.get("targets", []), result["datasource"], raw, problems)
    result["fieldConfig"] = modern_field_config(result.get("fieldConfig"))
    return result


def modern_row(raw: dict[str, Any], problems: PanelProblems, row_defaults: dict[str, Any]) -> dict[str, Any]:
    """A row panel keeps only what Grafana's row model has; anything else the author set is a problem."""
    for key, value in raw.items():
        if key not in ROW_KEYS and value is not None and row_defaults.get(key) != value:
            problems.add(raw, f"{key}={value!r} has no place on a row in Grafana's dashboard model; remove it")
    row = {key: value for key, value in raw.items() if key in ROW_KEYS and value is not None}
    row.setdefault("collapsed", False)
    row.setdefault("panels", [])
    return row


def _check_legacy(panel: dict[str, Any], problems: PanelProblems) -> None:
    for key, value in panel.items():
        if key in PANEL_KEYS or key in SIZING_KEYS or value is None:
            continue
        if key in _LEGACY_DEFAULTS and _LEGACY_DEFAULTS[key] == value:
            continue
        if key == "columns":
            problems.add(panel, "columns= belongs to the AngularJS table; use Table with transformations instead")
        else:
            problems.add(panel, f"{key}={value!r} has no place in Grafana's panel model and would be lost; remove it")
