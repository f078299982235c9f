"""A legacy graph becomes the timeseries Grafana's graphPanelChangedHandler makes of it."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.grafana.legacy import migrate_dashboard

AXES = [
    {"format": "bytes", "label": None, "logBase": 1, "max": None, "min": "0", "show": True, "decimals": 1},
    {"format": "percentunit", "label": "ratio", "logBase": 10, "max": "1", "min": None, "show": True},
]


def migrated(panel: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The one migrated panel of a schemaVersion 14 dashboard holding `panel` alone, and the choice lines."""
    legacy = {"schemaVersion": 14, "rows": [{"height": 250, "panels": [{"id": 1, "type": "graph", **panel}]}]}
    result = migrate_dashboard(legacy)
    (only,) = result.document["panels"]
    return only, result.choices


def test_a_graph_becomes_the_timeseries_grafana_makes_of_it() -> None:
    panel, choices = migrated(
        {
            "title": "Memory",
            "span": 6,
            "lines": True,
            "linewidth": 2,
            "fill": 1,
            "points": False,
            "bars": False,
            "stack": False,
            "nullPointMode": "null",
            "yaxes": AXES,
            "legend": {"show": True, "values": False},
            "tooltip": {"shared": True, "sort": 2, "value_type": "individual"},
            "aliasColors": {"used": "#FF0000"},
            "seriesOverrides": [{"alias": "/cache/", "yaxis": 2, "linewidth": 1}],
            "targets": [{"expr": "process_resident_memory_bytes", "legendFormat": "used", "refId": "B"}],
            "renderer": "flot",
        }
    )
    assert panel == {
        "id": 1,
        "type": "timeseries",
        "title": "Memory",
        "gridPos": {"h": 7, "w": 12, "x": 0, "y": 0},
        "targets": [{"expr": "process_resident_memory_bytes", "legendFormat": "used", "refId": "B"}],
        "fieldConfig": {
            "defaults": {
                "unit": "bytes",
                "decimals": 1,
                "min": 0,
                "custom": {
                    "axisPlacement": "auto",
                    "drawStyle": "line",
                    "showPoints": "never",
                    "lineWidth": 2,
                    "fillOpacity": 10,
                    "spanNulls": False,
                },
            },
            "overrides": [
                {
                    "matcher": {"id": "byName", "options": "used"},
                    "properties": [{"id": "color", "value": {"fixedColor": "#FF0000", "mode": "fixed"}}],
                },
                {
                    "matcher": {"id": "byRegexp", "options": "/cache/"},
                    "properties": [
                        {"id": "unit", "value": "percentunit"},
                        {"id": "max", "value": 1},
                        {"id": "custom.axisPlacement", "value": "right"},
                        {"id": "custom.axisLabel", "value": "ratio"},
                        {"id": "custom.scaleDistribution", "value": {"type": "log", "log": 10}},
                        {"id": "custom.lineWidth", "value": 1},
                    ],
                },
            ],
        },
        "options": {
            "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
    }
    assert choices == []


def test_the_legend_values_become_calcs_in_the_legends_order() -> None:
    legend = {
        "show": True,
        "alignAsTable": True,
        "rightSide": True,
        "values": True,
        "current": True,
        "avg": True,
        "min": False,
        "max": True,
        "total": True,
        "sideWidth": 350,
        "sort": "avg",
        "sortDesc": True,
    }
    panel, _ = migrated({"title": "CPU", "lines": True, "legend": legend})
    assert panel["options"]["legend"] == {
        "calcs": ["lastNotNull", "mean", "max", "sum"],
        "displayMode": "table",
        "placement": "right",
        "showLegend": True,
        "width": 350,
        "sortBy": "Mean",
        "sortDesc": True,
    }


def test_legend_values_off_show_no_calcs_and_a_hidden_legend_is_hidden() -> None:
    panel, _ = migrated({"title": "CPU", "lines": True, "legend": {"show": False, "values": False, "avg": True}})
    assert panel["options"]["legend"] == {
        "calcs": [],
        "displayMode": "list",
        "placement": "bottom",
        "showLegend": False,
    }


@pytest.mark.parametrize(
    ("percentage", "mode"),
    [(False, "normal"), (True, "percent")],
)
def test_stacked_series_stack_normally_or_by_percent(percentage: bool, mode: str) -> None:
    panel, _ = migrated({"title": "Requests", "lines": True, "stack": True, "percentage": percentage})
    assert panel["fieldConfig"]["defaults"]["custom"]["stacking"] == {"group": "A", "mode": mode}


@pytest.mark.parametrize(
    ("null_point_mode", "span_nulls"),
    [("connected", True), ("null", False), ("null as zero", False)],
)
def test_null_point_mode_decides_whether_lines_span_gaps(null_point_mode: str, span_nulls: bool) -> None:
    panel, _ = migrated({"title": "Up", "lines": True, "nullPointMode": null_point_mode})
    assert panel["fieldConfig"]["defaults"]["custom"]["spanNulls"] is span_nulls


def test_null_as_zero_is_said_once_for_the_dashboard() -> None:
    _, choices = migrated({"title": "Up", "lines": True, "nullPointMode": "null as zero"})
    assert choices == [
        '1 panel(s) ("Up"), graph → timeseries: nullPointMode "null as zero" has no counterpart; missing points '
        "are gaps, not zeros"
    ]


def test_bars_win_over_lines_and_the_choice_is_said() -> None:
    panel, choices = migrated({"title": "Jobs", "bars": True, "lines": True, "fill": 1})
    custom = panel["fieldConfig"]["defaults"]["custom"]
    assert (custom["drawStyle"], custom["fillOpacity"]) == ("bars", 100)
    assert choices == [
        'panel "Jobs" (graph → timeseries): bars and lines both on; drawn as bars (as Grafana migrates it), lines dropped'
    ]


def test_thresholds_become_steps_drawn_as_lines_and_areas() -> None:
    thresholds = [
        {"colorMode": "warning", "fill": True, "line": True, "op": "gt", "value": 80},
        {"colorMode": "critical", "fill": True, "line": False, "op": "gt", "value": 90},
    ]
    panel, _ = migrated({"title": "Disk", "lines": True, "thresholds": thresholds})
    defaults = panel["fieldConfig"]["defaults"]
    assert defaults["thresholds"] == {
        "mode": "absolute",
        "steps": [
            {"color": "transparent", "value": None},
            {"color": "orange", "value": 80},
            {"color": "red", "value": 90},
        ],
    }
    assert defaults["custom"]["thresholdsStyle"] == {"mode": "line+area"}


def test_series_override_settings_without_counterpart_are_choice_lines() -> None:
    panel, choices = migrated(
        {"title": "Net", "lines": True, "seriesOverrides": [{"alias": "rx", "zindex": 3, "legend": False}]}
    )
    assert panel["fieldConfig"]["overrides"] == [
        {
            "matcher": {"id": "byName", "options": "rx"},
            "properties": [{"id": "custom.hideFrom", "value": {"legend": True, "tooltip": False, "viz": False}}],
        }
    ]
    assert choices == ['panel "Net" (graph → timeseries): seriesOverrides "rx": zindex has no counterpart; dropped']
