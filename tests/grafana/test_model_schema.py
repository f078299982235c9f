"""Every panel kind, written by `v1_document` inside a dashboard, validates against Grafana's schemas: with only a
type and a title (what the model fills in), and with the options a team typically sets."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.grafana.dashboard import Dashboard
from compiler.grafana.panels import PANEL_KINDS
from compiler.grafana.write_v1 import v1_document
from tests.grafana_schemas import KIND_SCHEMAS, schema_errors

PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}
LEGEND = {"displayMode": "table", "placement": "right", "showLegend": True, "calcs": ["mean", "max", "p95"]}
TOOLTIP = {"mode": "multi", "sort": "desc"}
REDUCE = {"calcs": ["mean"], "values": False, "fields": ""}
AXIS = {
    "axisPlacement": "left",
    "axisLabel": "requests/s",
    "axisSoftMin": 0,
    "scaleDistribution": {"type": "log", "log": 2},
}
HIDE = {"hideFrom": {"legend": False, "tooltip": False, "viz": False}}
THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 0.99}]}

TYPICAL: dict[str, dict[str, Any]] = {
    "timeseries": {
        "options": {"legend": LEGEND, "tooltip": TOOLTIP},
        "custom": {
            **AXIS,
            **HIDE,
            "drawStyle": "line",
            "lineWidth": 2,
            "fillOpacity": 10,
            "stacking": {"mode": "normal", "group": "A"},
            "thresholdsStyle": {"mode": "dashed"},
            "spanNulls": 300000,
        },
    },
    "stat": {"options": {"reduceOptions": REDUCE, "graphMode": "none", "colorMode": "background", "textMode": "value"}},
    "gauge": {"options": {"reduceOptions": REDUCE, "showThresholdLabels": True, "minVizWidth": 100}},
    "bargauge": {"options": {"reduceOptions": REDUCE, "displayMode": "lcd", "orientation": "horizontal"}},
    "table": {
        "options": {"showHeader": True, "sortBy": [{"displayName": "value", "desc": True}], "cellHeight": "sm"},
        "custom": {"align": "right", "inspect": False, "cellOptions": {"type": "color-background", "applyToRow": True}},
    },
    "text": {"options": {"mode": "markdown", "content": "# Runbook\n\nSee [the wiki](https://wiki)."}},
    "heatmap": {
        "options": {"calculate": False, "yAxis": {"unit": "s", "axisPlacement": "left"}, "rowsFrame": {"layout": "le"}},
        "custom": {**HIDE, "scaleDistribution": {"type": "linear"}},
    },
    "piechart": {
        "options": {
            "reduceOptions": REDUCE,
            "pieType": "donut",
            "displayLabels": ["percent"],
            "legend": {**LEGEND, "values": ["percent"]},
        },
        "custom": HIDE,
    },
    "barchart": {
        "options": {"xField": "job", "stacking": "normal", "legend": LEGEND, "tooltip": TOOLTIP},
        "custom": {**AXIS, **HIDE, "fillOpacity": 60, "gradientMode": "hue"},
    },
    "state-timeline": {
        "options": {"mergeValues": True, "showValue": "never", "alignValue": "center", "rowHeight": 0.8},
        "custom": {**HIDE, "fillOpacity": 80, "lineWidth": 0, "spanNulls": False},
    },
    "status-history": {"options": {"showValue": "auto", "colWidth": 0.8}, "custom": {**HIDE, "fillOpacity": 60}},
    "histogram": {
        "options": {"bucketCount": 20, "combine": True, "legend": LEGEND},
        "custom": {**AXIS, "fillOpacity": 50},
    },
    "logs": {"options": {"showTime": True, "wrapLogMessage": True, "sortOrder": "Ascending", "dedupStrategy": "exact"}},
    "xychart": {
        "options": {
            "mapping": "manual",
            "series": [{"x": {"matcher": {"id": "byName", "options": {}}}, "y": {"matcher": {"id": "byName"}}}],
        },
        "custom": {**AXIS, "show": "points+lines", "pointSize": {"fixed": 5}, "pointShape": "circle"},
    },
    "trend": {"options": {"xField": "depth", "legend": LEGEND}, "custom": {**AXIS, "lineWidth": 2}},
    "alertGroups": {"options": {"alertmanager": "Alertmanager", "labels": 'severity="page"', "expandAll": True}},
    "alertlist": {"options": {"viewMode": "stat", "maxItems": 50, "stateFilter": {"firing": True, "pending": False}}},
    "annolist": {"options": {"onlyFromThisDashboard": True, "limit": 20, "tags": ["deploy"]}},
    "dashlist": {"options": {"showStarred": False, "showSearch": True, "tags": ["team"], "query": "api"}},
    "news": {"options": {"feedUrl": "https://grafana.com/blog/news.xml", "showImage": False}},
    "nodeGraph": {"options": {"nodes": {"mainStatUnit": "ms"}, "edges": {"mainStatUnit": "reqps"}}},
    "traces": {"options": {"spanFilters": {"criticalPathOnly": False}}},
    "geomap": {
        "options": {
            "view": {"id": "coords", "lat": 48.1, "lon": 11.6, "zoom": 5},
            "layers": [
                {"type": "markers", "name": "Sites", "config": {"showLegend": True}, "location": {"mode": "auto"}}
            ],
        }
    },
    "canvas": {"options": {"inlineEditing": False, "root": {"type": "frame", "elements": []}}},
    "flamegraph": {"options": {}},
    "candlestick": {"options": {"mode": "candles", "colors": {"up": "blue", "down": "orange"}}, "custom": AXIS},
    "datagrid": {"options": {"selectedSeries": 1}},
    "welcome": {"options": {}},
    "gettingstarted": {"options": {}},
}


def written(*panels: dict[str, Any]) -> dict[str, Any]:
    return v1_document(Dashboard.model_validate({"title": "Kinds", "uid": "kinds", "panels": list(panels)}))


def test_every_registered_kind_has_a_typical_example() -> None:
    assert set(TYPICAL) == set(PANEL_KINDS)
    assert set(KIND_SCHEMAS) <= set(PANEL_KINDS)


@pytest.mark.parametrize("type_", sorted(PANEL_KINDS))
def test_a_panel_with_only_a_type_and_a_title_validates(type_: str) -> None:
    document = written({"type": type_, "title": f"A {type_}"})
    assert schema_errors(document) == []
    assert document["panels"][0]["type"] == type_


@pytest.mark.parametrize("type_", sorted(PANEL_KINDS))
def test_a_panel_with_typical_options_validates_and_keeps_them(type_: str) -> None:
    example = TYPICAL[type_]
    field_config: dict[str, Any] = {
        "defaults": {
            "unit": "reqps",
            "decimals": 2,
            "thresholds": THRESHOLDS,
            "color": {"mode": "thresholds"},
            "links": [{"title": "Runbook", "url": "https://runbooks/${__field.labels.job}", "targetBlank": True}],
            "actions": [
                {"title": "Silence", "fetch": {"method": "POST", "url": "https://alertmanager/api/v2/silences"}}
            ],
            "mappings": [
                {"type": "value", "options": {"1": {"text": "up", "color": "green", "index": 0}}},
                {"type": "range", "options": {"from": 0, "to": None, "result": {"text": "some"}}},
                {"type": "special", "options": {"match": "null", "result": {"text": "N/A"}}},
            ],
        },
        "overrides": [{"matcher": {"id": "byFrameRefID", "options": {}}, "properties": [{"id": "color", "value": {}}]}],
    }
    if "custom" in example:
        field_config["defaults"]["custom"] = example["custom"]
    panel = {
        "type": type_,
        "title": f"A {type_}",
        "datasource": PROMETHEUS,
        "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
        "targets": [{"refId": "A", "expr": 'sum by (job) (rate(http_requests_total{job="$job"}[$__rate_interval]))'}],
        "options": example["options"],
        "fieldConfig": field_config,
    }
    document = written(panel)
    assert schema_errors(document) == []
    out = document["panels"][0]
    assert {key: out["options"][key] for key in example["options"]} == example["options"]
    assert out["fieldConfig"]["defaults"].get("custom") == example.get("custom")


def test_stat_options_left_out_are_written_as_grafana_shows_them() -> None:
    options = written({"type": "stat", "title": "Up"})["panels"][0]["options"]
    assert options == {
        "reduceOptions": {"calcs": ["lastNotNull"]},
        "orientation": "auto",
        "graphMode": "area",
        "colorMode": "value",
        "justifyMode": "auto",
        "textMode": "auto",
        "wideLayout": True,
        "showPercentChange": False,
        "percentChangeColorMode": "standard",
    }


def test_a_dashboard_left_empty_is_valid_and_holds_grafanas_builtin_annotation() -> None:
    document = v1_document(Dashboard())
    assert schema_errors(document) == []
    assert document["schemaVersion"] == 41
    assert document["templating"] == {"list": []}
    assert [a["name"] for a in document["annotations"]["list"]] == ["Annotations & Alerts"]


def test_rows_links_variables_and_queries_of_other_datasources_validate() -> None:
    document = v1_document(
        Dashboard.model_validate(
            {
                "title": "Mixed",
                "links": [{"title": "Runbooks", "url": "https://runbooks"}, {"type": "dashboards", "tags": ["api"]}],
                "templating": {
                    "list": [
                        {"type": "datasource", "name": "ds", "query": "prometheus"},
                        {"type": "query", "name": "job", "datasource": PROMETHEUS, "query": "label_values(up, job)"},
                        {"type": "custom", "name": "quantile", "query": "0.5,0.9,0.99", "multi": True},
                        {"type": "interval", "name": "step", "query": "1m,5m", "auto": True, "auto_min": "10s"},
                        {"type": "constant", "name": "cluster", "query": "eu-1", "hide": 2},
                        {"type": "textbox", "name": "filter"},
                        {"type": "groupby", "name": "by", "datasource": PROMETHEUS},
                    ]
                },
                "panels": [
                    {
                        "type": "row",
                        "title": "Logs",
                        "collapsed": True,
                        "panels": [
                            {
                                "type": "logs",
                                "title": "Errors",
                                "datasource": {"type": "loki", "uid": "loki"},
                                "targets": [{"refId": "A", "expr": '{app="api"} |= "error"', "maxLines": 500}],
                            },
                            {
                                "type": "traces",
                                "title": "Slow traces",
                                "datasource": {"type": "tempo", "uid": "tempo"},
                                "targets": [{"refId": "A", "query": "{ duration > 2s }", "queryType": "traceql"}],
                            },
                        ],
                    },
                    {"type": "row", "title": "Requests"},
                    {
                        "type": "timeseries",
                        "title": "Rate",
                        "links": [{"title": "Logs", "url": "/explore"}],
                        "targets": [{"expr": "rate(x[5m])", "legendFormat": "{{job}}", "interval": "1m"}],
                    },
                ],
            }
        )
    )
    assert schema_errors(document) == []
    assert [p["id"] for p in document["panels"]] == [1, 4, 5]
    assert [p["id"] for p in document["panels"][0]["panels"]] == [2, 3]
    assert document["links"][0]["icon"] == "external link"
