"""A legacy singlestat becomes the stat (or gauge) Grafana makes of it, showing the same number."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.grafana.legacy import migrate_dashboard
from tests.grafana_schemas import panel_errors


def migrated(panel: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The one migrated panel of a schemaVersion 14 dashboard holding `panel` alone, and the choice lines."""
    legacy = {"schemaVersion": 14, "rows": [{"height": "250px", "panels": [{"id": 1, "span": 3, **panel}]}]}
    result = migrate_dashboard(legacy)
    (only,) = result.document["panels"]
    return only, result.choices


@pytest.mark.parametrize(
    ("value_name", "calc"),
    [
        ("avg", "mean"),
        ("current", "lastNotNull"),
        ("total", "sum"),
        ("max", "max"),
        ("min", "min"),
        ("first", "firstNotNull"),
        ("delta", "delta"),
        ("diff", "diff"),
        ("range", "range"),
    ],
)
def test_the_value_shown_becomes_the_reducer(value_name: str, calc: str) -> None:
    panel, choices = migrated({"type": "singlestat", "title": "Uptime", "valueName": value_name})
    assert panel["options"]["reduceOptions"] == {"calcs": [calc], "fields": "", "values": False}
    assert choices == [f'panel "Uptime" (singlestat → stat): valueName "{value_name}" → reduceOptions.calcs ["{calc}"]']


def test_an_absent_value_name_is_the_singlestats_default_avg() -> None:
    panel, choices = migrated({"type": "singlestat", "title": "Uptime"})
    assert panel["options"]["reduceOptions"]["calcs"] == ["mean"]
    assert choices == [
        'panel "Uptime" (singlestat → stat): valueName absent (default "avg") → reduceOptions.calcs ["mean"]'
    ]


def test_a_singlestat_becomes_the_stat_grafana_makes_of_it() -> None:
    panel, _ = migrated(
        {
            "type": "singlestat",
            "title": "Errors",
            "datasource": "$datasource",
            "targets": [{"expr": "sum(up)", "intervalFactor": 2, "step": 40}],
            "valueName": "current",
            "format": "percent",
            "decimals": 1,
            "thresholds": "50,80",
            "colors": ["green", "orange", "red"],
            "colorBackground": True,
            "sparkline": {"show": True, "full": False, "lineColor": "blue"},
            "valueMaps": [{"op": "=", "text": "N/A", "value": "null"}, {"op": "=", "text": "85", "value": "1"}],
            "mappingType": 1,
            "nullText": "none",
            "prefixFontSize": "50%",
        }
    )
    assert panel == {
        "id": 1,
        "type": "stat",
        "title": "Errors",
        "gridPos": {"h": 7, "w": 6, "x": 0, "y": 0},
        "datasource": {"uid": "$datasource"},
        "targets": [{"expr": "sum(up)", "intervalFactor": 2, "refId": "A"}],
        "fieldConfig": {
            "defaults": {
                "unit": "percent",
                "noValue": "none",
                "decimals": 1,
                "thresholds": {
                    "mode": "absolute",
                    "steps": [
                        {"color": "green", "value": None},
                        {"color": "orange", "value": 50},
                        {"color": "red", "value": 80},
                    ],
                },
                "mappings": [
                    {"type": "value", "options": {"1": {"text": "85", "color": "red"}}},
                    {"type": "special", "options": {"match": "null", "result": {"text": "N/A"}}},
                ],
                "min": 0,
                "max": 100,
            },
            "overrides": [],
        },
        "options": {
            "orientation": "horizontal",
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background",
            "graphMode": "area",
            "justifyMode": "auto",
            "percentChangeColorMode": "standard",
            "showPercentChange": False,
            "textMode": "auto",
            "wideLayout": True,
        },
    }


def test_a_singlestat_drawing_a_gauge_becomes_a_gauge() -> None:
    panel, _ = migrated(
        {
            "type": "singlestat",
            "title": "Disk",
            "gauge": {"show": True, "minValue": 0, "maxValue": 500, "thresholdMarkers": True, "thresholdLabels": True},
        }
    )
    assert panel["type"] == "gauge"
    assert panel["fieldConfig"]["defaults"] == {"min": 0, "max": 500}
    assert panel["options"] == {
        "orientation": "horizontal",
        "reduceOptions": {"calcs": ["mean"], "fields": "", "values": False},
        "minVizHeight": 75,
        "minVizWidth": 75,
        "showThresholdLabels": True,
        "showThresholdMarkers": True,
        "sizing": "auto",
    }


def test_what_the_stat_cannot_show_is_a_choice_line() -> None:
    _, choices = migrated({"type": "singlestat", "title": "Load", "valueName": "max", "prefix": "≈", "postfix": " rps"})
    assert choices == [
        'panel "Load" (singlestat → stat): valueName "max" → reduceOptions.calcs ["max"]',
        'panel "Load" (singlestat → stat): prefix "≈" has no counterpart; dropped (a unit can carry it)',
        'panel "Load" (singlestat → stat): postfix " rps" has no counterpart; dropped (a unit can carry it)',
    ]


def test_range_maps_become_range_mappings() -> None:
    panel, _ = migrated(
        {"type": "singlestat", "title": "State", "rangeMaps": [{"from": "0", "to": "10", "text": "low"}]}
    )
    assert panel["fieldConfig"]["defaults"]["mappings"] == [
        {"type": "range", "options": {"from": 0, "to": 10, "result": {"text": "low"}}}
    ]


def test_a_percent_gauge_without_bounds_spans_0_to_100() -> None:
    panel, _ = migrated({"type": "singlestat", "title": "CPU", "format": "percent", "gauge": {"show": True}})
    assert panel["fieldConfig"]["defaults"] == {"unit": "percent", "min": 0, "max": 100}


@pytest.mark.parametrize("gauge", [False, True])
def test_the_migrated_stat_and_gauge_are_valid_against_grafanas_schema(gauge: bool) -> None:
    panel, _ = migrated(
        {
            "type": "singlestat",
            "title": "Errors",
            "thresholds": "1,2",
            "colors": ["green", "orange", "red"],
            "valueMaps": [{"op": "=", "text": "none", "value": "0"}],
            "gauge": {"show": gauge},
            "sparkline": {"show": True},
        }
    )
    assert panel_errors(panel) == []
