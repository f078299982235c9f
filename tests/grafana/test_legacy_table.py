"""The AngularJS table becomes the modern table Grafana's tablePanelChangedHandler makes of it."""

from __future__ import annotations

from typing import Any

from compiler.grafana.legacy import migrate_dashboard
from tests.grafana_schemas import panel_errors


def migrated(panel: dict[str, Any], schema_version: int = 14) -> tuple[dict[str, Any], list[str]]:
    legacy = {"schemaVersion": schema_version, "rows": [{"height": "250px", "panels": [{"id": 1, **panel}]}]}
    result = migrate_dashboard(legacy)
    (only,) = result.document["panels"]
    return only, result.choices


STYLES = [
    {"alias": "Time", "dateFormat": "YYYY-MM-DD HH:mm:ss", "pattern": "Time", "type": "hidden"},
    {
        "alias": "Uploaded Ago",
        "colorMode": "cell",
        "colors": ["green", "orange", "red"],
        "decimals": 0,
        "pattern": "Value",
        "thresholds": ["60", "3600"],
        "type": "number",
        "unit": "s",
        "link": True,
        "linkUrl": "/d/abc?var-job=${__cell_1}",
        "linkTooltip": "Drill down",
    },
    {"pattern": "/^when_/", "type": "date", "dateFormat": "HH:mm"},
    {"alias": "", "decimals": 2, "pattern": "/.*/", "thresholds": [], "type": "string", "unit": "short"},
]


def test_styles_become_the_defaults_and_overrides() -> None:
    panel, choices = migrated({"type": "table", "title": "Uploads", "styles": STYLES, "transform": "table"})
    assert panel["fieldConfig"] == {
        "defaults": {"custom": {"align": "auto", "inspect": False}, "unit": "short", "decimals": 2},
        "overrides": [
            {
                "matcher": {"id": "byName", "options": "Time"},
                "properties": [{"id": "displayName", "value": "Time"}, {"id": "custom.hidden", "value": True}],
            },
            {
                "matcher": {"id": "byName", "options": "Value"},
                "properties": [
                    {"id": "displayName", "value": "Uploaded Ago"},
                    {"id": "unit", "value": "s"},
                    {"id": "decimals", "value": 0},
                    {
                        "id": "links",
                        "value": [{"targetBlank": False, "title": "Drill down", "url": "/d/abc?var-job=${__cell_1}"}],
                    },
                    {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                    {
                        "id": "thresholds",
                        "value": {
                            "mode": "absolute",
                            "steps": [
                                {"color": "green", "value": None},
                                {"color": "orange", "value": 60},
                                {"color": "red", "value": 3600},
                            ],
                        },
                    },
                ],
            },
            {
                "matcher": {"id": "byRegexp", "options": "/^when_/"},
                "properties": [{"id": "unit", "value": "time: HH:mm"}],
            },
        ],
    }
    assert panel["transformations"] == [{"id": "merge", "options": {"reducers": []}}]
    assert panel["options"] == {"frameIndex": 0, "showHeader": True}
    assert (panel["type"], choices) == ("table", [])
    assert panel_errors(panel) == []


def test_aggregations_become_a_reduce_of_the_columns() -> None:
    columns = [{"text": "Avg", "value": "avg"}, {"text": "Current", "value": "current"}, {"text": "X", "value": "x"}]
    panel, choices = migrated(
        {
            "type": "table-old",
            "title": "Sizes",
            "styles": [],
            "transform": "timeseries_aggregations",
            "columns": columns,
        },
        schema_version=30,
    )
    assert panel["transformations"] == [
        {"id": "reduce", "options": {"includeTimeField": False, "reducers": ["mean", "lastNotNull"]}}
    ]
    assert choices == ['panel "Sizes" (table-old → table): aggregation columns ["x"] have no reducer; dropped']


def test_a_modern_table_is_left_alone() -> None:
    modern = {"type": "table", "title": "T", "options": {"showHeader": False}, "fieldConfig": {"defaults": {}}}
    panel, choices = migrated(modern, schema_version=30)
    assert {key: panel[key] for key in modern} == modern
    assert choices == []
