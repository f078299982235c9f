"""Every grafanalib 0.7.1 panel type: the modern ones emit schema-valid panels, the AngularJS ones are refused."""

from __future__ import annotations

from typing import Any

import pytest
from grafanalib.core import (
    Ae3ePlotly,
    BarChart,
    BarGauge,
    Dashboard,
    DashboardList,
    Discrete,
    GaugePanel,
    Heatmap,
    HeatmapColor,
    Histogram,
    Logs,
    News,
    PieChart,
    PieChartv2,
    RowPanel,
    Stat,
    StateTimeline,
    Statusmap,
    Svg,
    Table,
    Target,
    Templating,
    Text,
    TimeSeries,
    Worldmap,
    YAxis,
    ePict,
)

from compiler.dsl.dashboards import datasource_variable, label_variable
from tests.grafana_schemas import schema_errors
from tests.test_dashboards_emit import emit, json_files

JOB = 'job="$job"'


def targets(expr: str = f"sum by (instance) (rate(http_requests_total{{{JOB}}}[$__rate_interval]))") -> list[Target]:
    return [Target(expr=expr, legendFormat="{{instance}}")]


def every_accepted_panel() -> list[Any]:
    buckets = f"sum by (le) (rate(http_request_duration_seconds_bucket{{{JOB}}}[$__rate_interval]))"
    return [
        TimeSeries(title="Time series", targets=targets(), unit="reqps"),
        Stat(title="Stat", targets=targets(), format="reqps"),
        GaugePanel(title="Gauge", targets=targets(), max=100),
        BarGauge(title="Bar gauge", targets=targets()),
        Table(title="Table", targets=[Target(expr=f"up{{{JOB}}}", instant=True, format="table")]),
        Text(title="Text", content="# Runbook\nSee the wiki."),
        Heatmap(
            title="Heatmap (calculated)",
            targets=targets(),
            yAxis=YAxis(format="s", min="0", logBase=2),
            xBucketNumber=20,
            color=HeatmapColor(mode="opacity", colorScale="linear"),
        ),
        Heatmap(
            title="Heatmap (buckets)",
            targets=[Target(expr=buckets, format="heatmap", legendFormat="{{le}}")],
            dataFormat="tsbuckets",
            hideZeroBuckets=True,
            reverseYBuckets=True,
            yBucketBound="upper",
        ),
        PieChartv2(title="Pie chart", targets=targets()),
        BarChart(title="Bar chart", targets=[Target(expr=f"sum by (instance) (up{{{JOB}}})", instant=True)]),
        StateTimeline(title="State timeline", targets=[Target(expr=f"up{{{JOB}}}")]),
        Histogram(title="Histogram", targets=targets(), bucketSize=10),
        Logs(title="Logs", dataSource={"type": "loki", "uid": "loki"}, targets=[Target(expr='{app="api"} |= "error"')]),
        News(title="News", feedUrl="https://grafana.com/blog/news.xml"),
        DashboardList(title="Dashboards", showSearch=True, maxItems=20),
        Ae3ePlotly(title="Plotly", targets=targets()),
        RowPanel(title="Collapsed", collapsed=True, panels=[TimeSeries(title="Inside", targets=targets())]),
    ]


def test_a_dashboard_of_every_accepted_panel_type_validates_against_every_schema() -> None:
    dashboard = Dashboard(
        title="Every panel",
        templating=Templating([datasource_variable(), label_variable("job", "up")]),
        panels=every_accepted_panel(),
    )
    tree, problems = emit(dashboard)
    assert problems == []
    (document,) = json_files(tree).values()
    assert schema_errors(document) == []
    panels = [p for panel in document["panels"] for p in (panel, *panel.get("panels", []))]
    types = {panel["type"] for panel in panels}
    assert types == {
        *("timeseries", "stat", "gauge", "bargauge", "table", "text", "heatmap", "piechart", "barchart"),
        *("state-timeline", "histogram", "logs", "news", "dashlist", "ae3e-plotly-panel", "row"),
    }
    for panel in panels:
        if panel["type"] in {"timeseries", "piechart", "barchart", "state-timeline", "histogram"}:
            assert panel["options"]["legend"]["showLegend"] is True, panel["title"]


def test_the_angular_heatmap_settings_become_the_modern_heatmap_options() -> None:
    tree, _ = emit(Dashboard(title="H", panels=every_accepted_panel()))
    (document,) = json_files(tree).values()
    by_title = {panel["title"]: panel for panel in document["panels"]}
    calculated = by_title["Heatmap (calculated)"]["options"]
    assert calculated["calculate"] is True
    assert calculated["calculation"] == {
        "xBuckets": {"mode": "count", "value": "20"},
        "yBuckets": {"mode": "count", "scale": {"type": "log", "log": 2}},
    }
    assert calculated["color"]["mode"] == "opacity" and calculated["color"]["scale"] == "linear"
    assert calculated["yAxis"] == {"axisPlacement": "left", "min": 0, "reverse": False, "unit": "s"}
    buckets = by_title["Heatmap (buckets)"]["options"]
    assert buckets["calculate"] is False
    assert buckets["rowsFrame"] == {"layout": "le"}
    assert buckets["filterValues"] == {"le": 1e-9}
    assert buckets["yAxis"]["reverse"] is True
    assert buckets["color"]["scheme"] == "Oranges"
    dashlist = by_title["Dashboards"]["options"]
    assert (dashlist["showSearch"], dashlist["maxItems"]) == (True, 20)


def test_a_heatmap_setting_without_a_modern_place_is_reported() -> None:
    _, problems = emit(Dashboard(title="H", panels=[Heatmap(title="Cells", highlightCards=False)]))
    assert problems == [
        "dashboards_src/test.py:7: dashboard 'H': panel 'Cells': highlightCards=False has no place in "
        "Grafana's heatmap panel; remove it"
    ]


def test_queries_of_another_datasource_type_are_not_parsed_as_promql() -> None:
    logs = Logs(title="Errors", dataSource={"type": "loki", "uid": "loki"}, targets=[Target(expr='{app="x"} |= "e"')])
    assert emit(Dashboard(title="L", panels=[logs]))[1] == []


@pytest.mark.parametrize(
    ("panel", "replacement"),
    [
        (PieChart(title="Old"), "PieChartv2 (panel type 'piechart')"),
        (Worldmap(title="Old"), "a geomap panel (panel type 'geomap')"),
        (Discrete(title="Old"), "StateTimeline (panel type 'state-timeline')"),
        (Statusmap(title="Old"), "StateTimeline (panel type 'state-timeline') or a 'status-history' panel"),
        (Svg(title="Old"), "a canvas panel (panel type 'canvas')"),
        (ePict(title="Old"), "a canvas panel (panel type 'canvas') with a background image"),
    ],
)
def test_every_other_angular_panel_is_refused_naming_its_replacement(panel: Any, replacement: str) -> None:
    _, problems = emit(Dashboard(title="Legacy", panels=[panel]))
    assert len(problems) == 1
    assert problems[0].startswith("dashboards_src/test.py:7: dashboard 'Legacy': panel 'Old': panel type ")
    assert problems[0].endswith(f"needs AngularJS, which Grafana 11 turns off; use {replacement} instead")
