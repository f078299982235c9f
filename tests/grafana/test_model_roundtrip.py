"""Real Grafana output reads into the model without a problem and is written back as given: parse → write →
parse is stable, and every panel keeps its type, title, gridPos, targets, options and fieldConfig.

The only differences allowed are the model's documented ones: fields Grafana no longer reads (`IGNORED`), the
fields the schema requires (`WRITTEN`, added with Grafana's defaults), numbers saved as strings, and the
heatmap tooltip's `show` read as its `mode`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compiler.grafana.annotations import AnnotationQuery
from compiler.grafana.dashboard import Dashboard, TimePickerConfig
from compiler.grafana.field_styles import GraphFieldConfig
from compiler.grafana.panels.heatmap import HeatmapPanel
from compiler.grafana.panels.panel import OpenPanel, RowPanel
from compiler.grafana.parse import parse_dashboard
from compiler.grafana.targets import PrometheusQuery
from compiler.grafana.variables import VariableModel
from compiler.grafana.write_v1 import v1_document

RFMOZ = Path(__file__).resolve().parents[3] / "shared" / "reference" / "external-dashboards" / "rfmoz"
COMPARED = ("type", "title", "gridPos", "targets", "options", "fieldConfig")


def given_in_written(given: Any, written: Any, where: str, ignored: frozenset[str] = frozenset()) -> list[str]:
    """Where `written` lost or changed something `given` set (nulls are absent, as Grafana reads them)."""
    if isinstance(given, dict):
        if not isinstance(written, dict):
            return [f"{where}: {written!r}"]
        return [
            difference
            for key, value in given.items()
            if value is not None and key not in ignored
            for difference in (
                given_in_written(value, written[key], f"{where}.{key}") if key in written else [f"{where}.{key} lost"]
            )
        ]
    if isinstance(given, list):
        if not isinstance(written, list) or len(written) != len(given):
            return [f"{where}: {written!r}"]
        return [
            d
            for i, (g, w) in enumerate(zip(given, written, strict=True))
            for d in given_in_written(g, w, f"{where}[{i}]")
        ]
    if isinstance(given, str) and not isinstance(written, str) and float(given) == written:
        return []
    return [] if given == written and type(given) is type(written) else [f"{where}: {given!r} became {written!r}"]


def flat_panels(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for panel in document["panels"] for p in (panel, *panel.get("panels", []))]


def without_migrated_tooltip(panel: dict[str, Any]) -> dict[str, Any]:
    if panel["type"] != "heatmap" or "show" not in panel.get("options", {}).get("tooltip", {}):
        return panel
    tooltip = {k: v for k, v in panel["options"]["tooltip"].items() if k != "show"}
    return {**panel, "options": {**panel["options"], "tooltip": tooltip}}


@pytest.mark.parametrize("path", sorted(RFMOZ.glob("*.json")), ids=lambda path: path.stem)
def test_modern_dashboards_read_without_problems_and_are_written_back_as_given(path: Path) -> None:
    given = json.loads(path.read_text())
    parsed = parse_dashboard(given)
    assert parsed.problems == []
    assert parsed.dashboard is not None
    written = v1_document(parsed.dashboard)

    again = parse_dashboard(written)
    assert again.problems == []
    assert again.dashboard is not None
    assert v1_document(again.dashboard) == written

    given_panels, written_panels = flat_panels(given), flat_panels(written)
    assert len(written_panels) == len(given_panels)
    differences = []
    for given_panel, written_panel in zip(given_panels, written_panels, strict=True):
        given_panel = without_migrated_tooltip(given_panel)
        title = given_panel.get("title")
        for key in (k for k in COMPARED if k in given_panel and k != "targets"):
            differences += given_in_written(given_panel[key], written_panel[key], f"{title}.{key}")
        if given_panel["type"] != "row":
            for index, target in enumerate(given_panel.get("targets", [])):
                where = f"{title}.targets[{index}]"
                differences += given_in_written(target, written_panel["targets"][index], where, PrometheusQuery.IGNORED)
    assert differences == []


@pytest.mark.parametrize("path", sorted(RFMOZ.glob("*.json")), ids=lambda path: path.stem)
def test_modern_dashboards_keep_their_settings_variables_and_annotations(path: Path) -> None:
    given = json.loads(path.read_text())
    parsed = parse_dashboard(given)
    assert parsed.dashboard is not None
    written = v1_document(parsed.dashboard)
    differences = []
    for key, value in given.items():
        if key == "templating":
            for index, variable in enumerate(value["list"]):
                selected = {k: v for k, v in variable.items() if not (k == "current" and v == {})}
                where = f"templating.list[{index}]"
                differences += given_in_written(selected, written[key]["list"][index], where, VariableModel.IGNORED)
        elif key == "annotations":
            for index, query in enumerate(value["list"]):
                where = f"annotations.list[{index}]"
                differences += given_in_written(query, written[key]["list"][index], where, AnnotationQuery.IGNORED)
        elif key == "timepicker":
            differences += given_in_written(value, written[key], key, TimePickerConfig.IGNORED)
        elif key == "gnetId" and value is not None:
            assert written[key] == str(value)  # a number in exports, a string in Grafana's schema
        elif key not in Dashboard.IGNORED and key not in ("panels", "rows") and value is not None:
            differences += given_in_written(value, written[key], key)
    assert differences == []


def test_what_the_model_drops_is_only_what_grafana_no_longer_reads() -> None:
    assert {"step", "metric"} == PrometheusQuery.IGNORED
    assert {"targets"} == RowPanel.IGNORED
    assert {"cards", "dataFormat", "yBucketBound"} <= HeatmapPanel.IGNORED


def test_a_panel_of_an_unknown_plugin_round_trips_unchanged() -> None:
    plugin = {
        "type": "ae3e-plotly-panel",
        "title": "Plotly",
        "id": 7,
        "gridPos": {"h": 8, "w": 24, "x": 0, "y": 0},
        "datasource": {"type": "grafana-clickhouse-datasource", "uid": "ch"},
        "targets": [{"refId": "A", "rawSql": "SELECT 1", "format": 1, "meta": {"builderOptions": {"mode": "list"}}}],
        "options": {
            "script": "return {data: []}",
            "config": {"displayModeBar": False},
            "unset": None,
            "nested": {"a": [1, {"b": None}]},
        },
        "fieldConfig": {"defaults": {"custom": {"anything": ["goes"]}, "unit": "s"}, "overrides": []},
    }
    parsed = parse_dashboard({"panels": [plugin]})
    assert parsed.problems == []
    assert parsed.dashboard is not None
    assert type(parsed.dashboard.panels[0]) is OpenPanel
    written = v1_document(parsed.dashboard)["panels"][0]
    assert written == plugin


def test_a_targets_model_is_its_own_datasources_else_the_panels_else_prometheus() -> None:
    dashboard = Dashboard.model_validate(
        {
            "panels": [
                {"type": "timeseries", "targets": [{"expr": "up"}]},
                {
                    "type": "logs",
                    "datasource": {"type": "loki", "uid": "l"},
                    "targets": [{"expr": "{a='b'}"}, {"datasource": {"type": "tempo"}, "query": "{}"}],
                },
                {"type": "table", "targets": [{"datasource": {"type": "mysql"}, "rawSql": "SELECT 1"}]},
            ]
        }
    )
    kinds = [type(t).__name__ for panel in dashboard.panels if not isinstance(panel, RowPanel) for t in panel.targets]
    assert kinds == ["PrometheusQuery", "LokiQuery", "TempoQuery", "OpenQuery"]


def test_changed_fields_leave_out_what_grafana_reads_as_absent() -> None:
    """An import writes only `changed_fields`: a value Grafana would fill in when absent, or a null, is no change;
    a value that differs from Grafana's default (a line width of 0) is kept."""
    variable = VariableModel.model_validate(
        {"type": "query", "name": "job", "hide": 0, "multi": False, "regex": "", "description": None, "options": []}
    )
    assert variable.changed_fields() == {"type": "query", "name": "job"}
    custom = GraphFieldConfig.model_validate(
        {
            "hideFrom": {"tooltip": False, "legend": False, "viz": False},
            "scaleDistribution": {"type": "linear"},
            "thresholdsStyle": {"mode": "off"},
            "axisCenteredZero": False,
            "axisLabel": "",
            "lineWidth": 0,
        }
    )
    assert custom.changed_fields() == {"lineWidth": 0}
    assert GraphFieldConfig().model_dump(by_alias=True, exclude_unset=True) == {}
