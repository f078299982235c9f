"""The v2 writer: every dashboard of this repository as a `dashboard.grafana.app/v2` resource that Grafana's own
v2 JSON schema accepts, carrying what the v1 document shows; what v2 cannot hold is reported; the
`[tool.moncc.grafana] dashboard_schema` setting switches `moncc build` to it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.grafana.legacy import migrate_dashboard
from compiler.grafana.parse import parse_dashboard
from compiler.grafana.write_v1 import v1_document
from compiler.grafana.write_v2 import v2_document
from compiler.import_command.dashboard_leftovers import without_unread_query_fields
from tests.conftest import REPO_ROOT, Project, ProjectFactory, source
from tests.grafana_schemas import EXTERNAL_DASHBOARDS, v2_errors

REPOSITORY_DASHBOARDS = sorted((REPO_ROOT / "build" / "grafana" / "dashboards").glob("**/*.json"))
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def flat_panels(v1: dict[str, Any]) -> list[dict[str, Any]]:
    """Every v1 panel, a collapsed row's panels right after their row."""
    result = []
    for panel in v1["panels"]:
        result.append(panel)
        result.extend(panel.get("panels") or [])
    return result


def layout_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    assert spec["layout"]["kind"] == "RowsLayout"
    rows: list[dict[str, Any]] = spec["layout"]["spec"]["rows"]
    return rows


def items_by_element(spec: dict[str, Any]) -> dict[str, tuple[int | None, dict[str, Any]]]:
    """Element name → (index of its row, None in a dashboard without rows; its grid item's spec)."""
    if spec["layout"]["kind"] == "GridLayout":
        return {item["spec"]["element"]["name"]: (None, item["spec"]) for item in spec["layout"]["spec"]["items"]}
    return {
        item["spec"]["element"]["name"]: (index, item["spec"])
        for index, row in enumerate(layout_rows(spec))
        for item in row["spec"]["layout"]["spec"]["items"]
    }


def test_the_repository_has_dashboards_to_convert() -> None:
    assert len(REPOSITORY_DASHBOARDS) >= 5


@pytest.mark.parametrize("path", REPOSITORY_DASHBOARDS, ids=lambda path: path.stem)
def test_every_dashboard_of_the_repository_is_valid_v2_and_loses_nothing(path: Path) -> None:
    v1 = json.loads(path.read_text(encoding="utf-8"))
    converted = v2_document(v1)
    assert converted.problems == ()
    assert v2_errors(converted.resource) == []
    assert converted.resource["metadata"] == {"name": v1["uid"]}


REFERENCE_DASHBOARDS = sorted(EXTERNAL_DASHBOARDS.glob("*/*.json"))


@pytest.mark.parametrize("path", REFERENCE_DASHBOARDS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_reference_dashboard_read_by_the_model_is_valid_v2_and_loses_nothing(path: Path) -> None:
    """Real dashboards (the legacy ones migrated as Grafana migrates them) in v2: nothing Grafana shows is lost."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("rows"):
        data = migrate_dashboard(data).document
    parsed = parse_dashboard(without_unread_query_fields(data)[0])
    assert parsed.dashboard is not None, parsed.problems
    v1 = v1_document(parsed.dashboard)
    converted = v2_document(v1)
    assert converted.problems == ()
    assert v2_errors(converted.resource) == []
    queries = [
        query["spec"]["query"]["spec"].get("expr")
        for element in converted.resource["spec"]["elements"].values()
        for query in element["spec"]["data"]["spec"]["queries"]
    ]
    assert queries == [target.get("expr") for panel in flat_panels(v1) for target in panel.get("targets", [])]


@pytest.mark.parametrize("path", REPOSITORY_DASHBOARDS, ids=lambda path: path.stem)
def test_panels_queries_and_their_places_are_carried(path: Path) -> None:
    v1 = json.loads(path.read_text(encoding="utf-8"))
    spec = v2_document(v1).resource["spec"]
    panels = [panel for panel in flat_panels(v1) if panel["type"] != "row"]
    assert sorted(spec["elements"]) == sorted(f"panel-{panel['id']}" for panel in panels)
    placed = items_by_element(spec)
    row_tops = [panel["gridPos"]["y"] for panel in v1["panels"] if panel["type"] == "row"]
    if v1["panels"] and v1["panels"][0]["type"] != "row":
        row_tops.insert(0, -1)  # the header-less row of the panels above the first row
    for panel in panels:
        name = f"panel-{panel['id']}"
        element = spec["elements"][name]["spec"]
        assert (element["id"], element["title"]) == (panel["id"], panel["title"])
        assert element["vizConfig"]["group"] == panel["type"]
        assert element["vizConfig"]["spec"]["options"] == panel["options"]
        assert element["vizConfig"]["spec"]["fieldConfig"] == panel["fieldConfig"]
        queries = [query["spec"] for query in element["data"]["spec"]["queries"]]
        assert [query["refId"] for query in queries] == [target["refId"] for target in panel["targets"]]
        for query, target in zip(queries, panel["targets"], strict=True):
            assert query["query"]["spec"]["expr"] == target["expr"]
            assert query["query"]["spec"].get("legendFormat") == target.get("legendFormat")
            assert query["query"]["group"] == target["datasource"]["type"]
            assert query["query"]["datasource"] == {"name": target["datasource"]["uid"]}
            assert query["hidden"] is False
        row, item = placed[name]
        position = panel["gridPos"]
        assert (item["x"], item["width"], item["height"]) == (position["x"], position["w"], position["h"])
        if row is None:
            assert item["y"] == position["y"]
        else:
            assert item["y"] == position["y"] - row_tops[row] - 1, "y counts from just below the row"


@pytest.mark.parametrize("path", REPOSITORY_DASHBOARDS, ids=lambda path: path.stem)
def test_rows_variables_and_dashboard_fields_are_carried(path: Path) -> None:
    v1 = json.loads(path.read_text(encoding="utf-8"))
    spec = v2_document(v1).resource["spec"]
    v1_rows = [panel for panel in v1["panels"] if panel["type"] == "row"]
    assert spec["layout"]["kind"] == ("RowsLayout" if v1_rows else "GridLayout")
    placed = items_by_element(spec)
    if v1_rows:
        titled = [row["spec"] for row in layout_rows(spec) if not row["spec"].get("hideHeader")]
        assert [(row["title"], row["collapse"]) for row in titled] == [
            (row["title"], row["collapsed"]) for row in v1_rows
        ]
        offset = len(layout_rows(spec)) - len(titled)
        for index, row in enumerate(v1_rows):
            below = v1_rows[index + 1]["gridPos"]["y"] if index + 1 < len(v1_rows) else float("inf")
            inside = [panel for panel in v1["panels"] if row["gridPos"]["y"] < panel["gridPos"]["y"] < below]
            assert {placed[f"panel-{panel['id']}"][0] for panel in inside} <= {index + offset}

    kinds = {"datasource": "DatasourceVariable", "query": "QueryVariable"}
    variables = spec["variables"]
    assert [(each["kind"], each["spec"]["name"]) for each in variables] == [
        (kinds[variable["type"]], variable["name"]) for variable in v1["templating"]["list"]
    ]
    for variable, v1_variable in zip(variables, v1["templating"]["list"], strict=True):
        converted = variable["spec"]
        assert converted["label"] == v1_variable["label"]
        assert (converted["multi"], converted["includeAll"]) == (v1_variable["multi"], v1_variable["includeAll"])
        if v1_variable["type"] == "query":
            assert converted["query"]["spec"] == {"__legacyStringValue": v1_variable["query"]}
            assert converted["query"]["datasource"] == {"name": v1_variable["datasource"]["uid"]}
            assert converted["refresh"] == ("never", "onDashboardLoad", "onTimeRangeChanged")[v1_variable["refresh"]]
        else:
            assert converted["pluginId"] == v1_variable["query"]

    assert (spec["title"], spec["tags"], spec.get("description")) == (v1["title"], v1["tags"], v1.get("description"))
    time = spec["timeSettings"]
    assert (time["from"], time["to"], time["autoRefresh"]) == (v1["time"]["from"], v1["time"]["to"], v1["refresh"])
    assert (time["timezone"], time["autoRefreshIntervals"]) == (v1["timezone"], v1["timepicker"]["refresh_intervals"])
    assert spec["cursorSync"] == ("Off", "Crosshair", "Tooltip")[v1["graphTooltip"]]


# --- shapes the repository's dashboards do not have -----------------------------------------------------------


def panel(panel_id: int, y: int, **fields: Any) -> dict[str, Any]:
    target = {"datasource": DATASOURCE, "expr": "up", "refId": "A"}
    base = {
        "id": panel_id,
        "type": "timeseries",
        "title": f"P{panel_id}",
        "targets": [target],
        "datasource": DATASOURCE,
    }
    return base | {"gridPos": {"x": 0, "y": y, "w": 12, "h": 8}} | fields


def dashboard(*panels: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"uid": "d", "title": "D", "panels": list(panels), "templating": {"list": []}} | fields


def test_panels_without_rows_are_one_grid_at_their_positions() -> None:
    resource = v2_document(dashboard(panel(1, 0), panel(2, 8, gridPos={"x": 12, "y": 8, "w": 12, "h": 4}))).resource
    assert v2_errors(resource) == []
    layout = resource["spec"]["layout"]
    assert layout["kind"] == "GridLayout"
    assert [(item["spec"]["x"], item["spec"]["y"], item["spec"]["width"]) for item in layout["spec"]["items"]] == [
        (0, 0, 12),
        (12, 8, 12),
    ]


def test_panels_above_the_first_row_get_a_row_without_header_and_a_collapsed_row_keeps_its_panels() -> None:
    row = {"id": 2, "type": "row", "title": "Hidden", "collapsed": True, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1}}
    row["panels"] = [panel(3, 9), panel(4, 17)]
    resource = v2_document(dashboard(panel(1, 0), row)).resource
    assert v2_errors(resource) == []
    rows = [each["spec"] for each in layout_rows(resource["spec"])]
    assert [(each["title"], each["collapse"], each.get("hideHeader", False)) for each in rows] == [
        ("", False, True),
        ("Hidden", True, False),
    ]
    assert [item["spec"]["y"] for item in rows[1]["layout"]["spec"]["items"]] == [0, 8]
    assert sorted(resource["spec"]["elements"]) == ["panel-1", "panel-3", "panel-4"]


def test_every_variable_type_annotation_link_transformation_and_repeat_is_valid_v2() -> None:
    variables = [
        {"type": "custom", "name": "env", "query": "prod,dev", "current": {"text": "prod", "value": "prod"}},
        {"type": "constant", "name": "team", "query": "sre", "hide": 2},
        {"type": "textbox", "name": "filter", "query": ".*"},
        {"type": "interval", "name": "step", "query": "1m,5m", "auto": True, "auto_min": "10s", "auto_count": 30},
        {"type": "adhoc", "name": "filters", "datasource": DATASOURCE},
        {"type": "groupby", "name": "by", "datasource": DATASOURCE, "multi": True},
        {"type": "query", "name": "job", "datasource": DATASOURCE, "query": {"query": "label_values(job)"}},
    ]
    annotation = {"name": "Deploys", "datasource": DATASOURCE, "enable": True, "iconColor": "red", "expr": "changes(x)"}
    link = {"title": "Runbook", "type": "link", "url": "https://example.com", "targetBlank": True}
    repeated = panel(
        1,
        0,
        repeat="job",
        repeatDirection="h",
        maxPerRow=4,
        interval="1m",
        maxDataPoints=500,
        transformations=[{"id": "organize", "options": {"renameByName": {"a": "b"}}}],
        links=[{"title": "More", "url": "/d/other"}],
    )
    v1 = dashboard(
        repeated,
        templating={"list": variables},
        annotations={"list": [annotation]},
        links=[link],
        graphTooltip=2,
        liveNow=True,
        weekStart="monday",
    )
    converted = v2_document(v1)
    assert converted.problems == ()
    assert v2_errors(converted.resource) == []
    spec = converted.resource["spec"]
    assert [each["kind"] for each in spec["variables"]] == [
        "CustomVariable",
        "ConstantVariable",
        "TextVariable",
        "IntervalVariable",
        "AdhocVariable",
        "GroupByVariable",
        "QueryVariable",
    ]
    assert spec["variables"][1]["spec"]["hide"] == "hideVariable"
    assert spec["variables"][6]["spec"]["query"]["spec"] == {"query": "label_values(job)"}
    assert spec["annotations"][0]["spec"]["query"]["spec"] == {"expr": "changes(x)"}
    assert spec["links"][0]["url"] == "https://example.com"
    assert spec["cursorSync"] == "Tooltip"
    item = spec["layout"]["spec"]["items"][0]["spec"]
    assert item["repeat"] == {"mode": "variable", "value": "job", "direction": "h", "maxPerRow": 4}
    data = spec["elements"]["panel-1"]["spec"]["data"]["spec"]
    assert data["queryOptions"] == {"interval": "1m", "maxDataPoints": 500}
    assert data["transformations"] == [
        {"kind": "Transformation", "group": "organize", "spec": {"options": {"renameByName": {"a": "b"}}}}
    ]


def test_what_v2_cannot_hold_is_reported_one_line_each() -> None:
    v1 = dashboard(
        panel(1, 0, pluginVersion="12.0.0", fancy=True, links=[{"title": "L", "url": "/x", "keepTime": True}]),
        snapshot={"originalUrl": "/d/x"},
        templating={"list": [{"type": "switch", "name": "on"}]},
    )
    converted = v2_document(v1)
    assert converted.problems == (
        "dashboard: snapshot={'originalUrl': '/d/x'} has no place in Grafana's v2 schema",
        "panel 'P1' (id 1): fancy=True has no place in Grafana's v2 schema",
        "panel 'P1' (id 1) link 'L': keepTime=True has no place in Grafana's v2 schema",
        "variable 'on': type 'switch' is not one moncc writes as a v2 variable kind",
    )
    assert v2_errors(converted.resource) == []


def test_the_same_input_gives_the_same_output_and_is_left_unchanged() -> None:
    path = REPOSITORY_DASHBOARDS[0]
    v1 = json.loads(path.read_text(encoding="utf-8"))
    before = copy.deepcopy(v1)
    first = json.dumps(v2_document(v1).resource, sort_keys=True)
    assert json.dumps(v2_document(v1).resource, sort_keys=True) == first
    assert v1 == before


# --- the setting, through the real CLI ------------------------------------------------------------------------

DASHBOARD_MODULE = """\
from grafanalib.core import Dashboard, RowPanel, Target, Template, Templating, TimeSeries

overview = Dashboard(
    title="API overview",
    uid="api-overview",
    templating=Templating([Template(name="job", query="label_values(up, job)", dataSource="${datasource}")]),
    panels=[
        RowPanel(title="Traffic"),
        TimeSeries(title="Requests", targets=[Target(expr='sum(rate(http_requests_total{job="$job"}[5m]))')]),
    ],
)
"""


def v2_project(make_project: ProjectFactory, schema: str) -> Project:
    pyproject = f'[project]\nname = "x"\n\n[tool.moncc.grafana]\ndashboard_schema = "{schema}"\n'
    project = make_project(pyproject=pyproject)
    path = project.root / "dashboards_src" / "api.py"
    path.parent.mkdir(parents=True)
    path.write_text(source(DASHBOARD_MODULE), encoding="utf-8")
    return project


def test_dashboard_schema_v2_builds_v2_files_and_configmaps(make_project: ProjectFactory) -> None:
    project = v2_project(make_project, "v2")
    project.build()
    text = project.read("grafana/dashboards/api/api-overview.json")
    resource = json.loads(text)
    assert (resource["apiVersion"], resource["kind"], resource["metadata"]) == (
        "dashboard.grafana.app/v2",
        "Dashboard",
        {"name": "api-overview"},
    )
    assert v2_errors(resource) == []
    rows = layout_rows(resource["spec"])
    assert [row["spec"]["title"] for row in rows] == ["Traffic"]
    element = resource["spec"]["elements"]["panel-2"]["spec"]
    assert element["title"] == "Requests"
    assert element["data"]["spec"]["queries"][0]["spec"]["query"]["spec"]["expr"] == (
        'sum(rate(http_requests_total{job="$job"}[5m]))'
    )
    configmap = yaml.safe_load(project.read("kubernetes/dashboards/api-overview.yaml"))
    assert list(configmap["data"].values()) == [text]


def test_dashboard_schema_v1_is_the_default_and_writes_the_classic_model(make_project: ProjectFactory) -> None:
    project = v2_project(make_project, "v1")
    project.build()
    document = json.loads(project.read("grafana/dashboards/api/api-overview.json"))
    assert "apiVersion" not in document
    assert document["uid"] == "api-overview"


def test_a_dashboard_v2_cannot_hold_fails_the_build_at_its_line(make_project: ProjectFactory) -> None:
    project = v2_project(make_project, "v2")
    project.build()
    module = project.root / "dashboards_src" / "api.py"
    keep_time = """links=[{"title": "Docs", "url": "https://example.com", "keepTime": True}], targets="""
    module.write_text(module.read_text(encoding="utf-8").replace("targets=", keep_time, 1), encoding="utf-8")
    assert project.build_fails() == [
        "dashboards_src/api.py:3: dashboard 'API overview': panel 'Requests' (id 2) link 'Docs': keepTime=True has "
        'no place in Grafana\'s v2 schema (dashboard_schema = "v2")'
    ]


def test_a_bad_dashboard_schema_is_one_line_naming_pyproject(make_project: ProjectFactory) -> None:
    project = v2_project(make_project, "v3")
    assert project.build_fails() == [
        "pyproject.toml:5: [tool.moncc] grafana.dashboard_schema: Input should be 'v1' or 'v2'"
    ]
