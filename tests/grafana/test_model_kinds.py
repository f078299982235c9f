"""The panel kinds are found from the modules of `compiler.grafana.panels`, one module each: what each says about
itself (legend, unit, AngularJS predecessors) is what lint, import and the writers ask."""

from __future__ import annotations

import pkgutil

import compiler.grafana.panels as panels
from compiler.grafana.dashboard import Dashboard
from compiler.grafana.panels import PANEL_KINDS, OpenPanel, angular_successor, panel_kind
from compiler.grafana.panels.stat import StatPanel
from compiler.grafana.write_v1 import v1_document

GRAFANA_PANELS = {
    "timeseries", "stat", "gauge", "bargauge", "table", "text", "heatmap", "piechart", "barchart", "state-timeline",
    "status-history", "histogram", "logs", "xychart", "trend", "alertlist", "annolist", "dashlist", "news",
    "nodeGraph", "traces", "geomap", "canvas", "flamegraph", "candlestick", "datagrid", "welcome", "gettingstarted",
    "alertGroups",
}  # fmt: skip
ANGULAR = {
    "graph": "timeseries",
    "singlestat": "stat",
    "table-old": "table",
    "grafana-piechart-panel": "piechart",
    "grafana-worldmap-panel": "geomap",
    "natel-discrete-panel": "state-timeline",
    "flant-statusmap-panel": "status-history",
}


def test_every_panel_grafana_ships_is_a_kind_found_from_its_own_module() -> None:
    assert set(PANEL_KINDS) == GRAFANA_PANELS
    modules = {info.name for info in pkgutil.iter_modules(panels.__path__)} - {"kind", "panel"}
    assert {kind.panel.__module__.rsplit(".", 1)[1] for kind in PANEL_KINDS.values()} == modules
    for type_, kind in PANEL_KINDS.items():
        assert kind.type == type_
        assert kind.panel.model_fields["type"].default == type_


def test_angular_panels_are_not_kinds_but_name_their_successor() -> None:
    successors = {old: kind.type for kind in PANEL_KINDS.values() for old in kind.angular_predecessors}
    assert {old: successors.get(old) for old in ANGULAR} == ANGULAR
    assert all(panel_kind(old) is None for old in successors)
    assert {old: getattr(angular_successor(old), "type", None) for old in ANGULAR} == ANGULAR
    assert angular_successor("timeseries") is None


def test_legend_and_unit_facts() -> None:
    with_legend = {type_ for type_, kind in PANEL_KINDS.items() if kind.has_legend}
    assert {"timeseries", "barchart", "piechart", "histogram", "state-timeline", "xychart", "trend"} <= with_legend
    assert not {"stat", "gauge", "text", "logs", "table"} & with_legend
    without_unit = {type_ for type_, kind in PANEL_KINDS.items() if not kind.has_unit}
    assert {"text", "logs", "news", "dashlist", "alertlist", "welcome", "table", "heatmap"} <= without_unit
    assert not {"timeseries", "stat", "gauge", "bargauge", "piechart", "barchart"} & without_unit


def test_a_kinds_panel_built_in_python_is_written_with_grafanas_defaults() -> None:
    document = v1_document(Dashboard(uid="py", panels=[StatPanel(title="Up", id=3)]))
    assert document["panels"][0]["options"]["reduceOptions"] == {"calcs": ["lastNotNull"]}
    assert document["panels"][0]["id"] == 3


def test_a_plugin_panel_is_open_and_an_unknown_type_has_no_kind() -> None:
    dashboard = Dashboard.model_validate({"panels": [{"type": "grafana-clock-panel", "options": {"mode": "time"}}]})
    assert type(dashboard.panels[0]) is OpenPanel
    assert panel_kind("grafana-clock-panel") is None
    assert panel_kind("stat") is PANEL_KINDS["stat"]
