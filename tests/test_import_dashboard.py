"""`moncc import dashboard`: Grafana dashboard JSON → grafanalib modules that `moncc build` turns back into it.

Round trips go through the real CLI: import into a fresh project, build, compare the JSON. Bad input ends in
one `file:line: message` line per problem, exit status 1, and nothing written.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, Project, ProjectFactory, Result

EMITTED = sorted((REPO_ROOT / "build" / "grafana" / "dashboards").glob("*/*.json"))
"""The repository's own dashboards (dashboards_src/ and the generated SLO dashboard) as moncc emits them;
`moncc check` keeps this committed build current."""

SLO_RECORDS = """\
from compiler.dsl import Record, RuleGroup

NAMES = [
    "slo:error_budget:ratio",
    "slo:objective:ratio",
    "slo:period_error_budget_remaining:ratio",
    *(f"slo:sli_error:ratio_rate{window}" for window in ("5m", "15m", "30m", "1h", "2h", "6h", "1d", "3d", "2w", "30d", "4w")),
]
records = RuleGroup("slo_records", rules=[Record(name, expr="vector(0)") for name in NAMES])
"""
"""The recording rules the SLO dashboard reads, so a project without SLOs builds it."""

GRAFANA_11: dict[str, Any] = {
    "annotations": {
        "list": [
            {
                "builtIn": 1,
                "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                "enable": True,
                "hide": True,
                "iconColor": "rgba(0, 211, 255, 1)",
                "name": "Annotations & Alerts",
                "type": "dashboard",
            }
        ]
    },
    "editable": True,
    "fiscalYearStartMonth": 0,
    "graphTooltip": 1,
    "id": None,
    "links": [
        {
            "asDropdown": False,
            "icon": "external link",
            "includeVars": True,
            "keepTime": True,
            "tags": ["payments"],
            "targetBlank": False,
            "title": "Payments",
            "tooltip": "",
            "type": "dashboards",
            "url": "",
        },
        {"icon": "doc", "title": "Runbook", "type": "link", "url": "https://runbooks.example.com/payments"},
    ],
    "liveNow": False,
    "panels": [
        {
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "description": "Requests per second by status code.",
            "fieldConfig": {
                "defaults": {
                    "color": {"mode": "palette-classic"},
                    "custom": {
                        "axisBorderShow": False,
                        "axisCenteredZero": False,
                        "axisColorMode": "text",
                        "axisLabel": "",
                        "axisPlacement": "auto",
                        "barAlignment": 0,
                        "drawStyle": "line",
                        "fillOpacity": 10,
                        "gradientMode": "none",
                        "hideFrom": {"legend": False, "tooltip": False, "viz": False},
                        "insertNulls": False,
                        "lineInterpolation": "smooth",
                        "lineWidth": 2,
                        "pointSize": 5,
                        "scaleDistribution": {"type": "linear"},
                        "showPoints": "never",
                        "spanNulls": False,
                        "stacking": {"group": "A", "mode": "none"},
                        "thresholdsStyle": {"mode": "off"},
                    },
                    "links": [{"title": "Logs", "url": "https://logs.example.com/?q=${__field.labels.code}"}],
                    "mappings": [],
                    "thresholds": {
                        "mode": "absolute",
                        "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}],
                    },
                    "unit": "reqps",
                },
                "overrides": [
                    {
                        "matcher": {"id": "byRegexp", "options": "/5../"},
                        "properties": [{"id": "color", "value": {"fixedColor": "red", "mode": "fixed"}}],
                    }
                ],
            },
            "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
            "id": 1,
            "links": [{"targetBlank": True, "title": "Service docs", "url": "https://docs.example.com/payments"}],
            "options": {
                "legend": {"calcs": ["mean", "max"], "displayMode": "table", "placement": "right", "showLegend": True},
                "tooltip": {"mode": "multi", "sort": "desc"},
            },
            "pluginVersion": "11.2.0",
            "targets": [
                {
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "editorMode": "code",
                    "exemplar": True,
                    "expr": 'sum by (code) (rate(http_requests_total{job="$job"}[$__rate_interval]))',
                    "instant": False,
                    "legendFormat": "{{code}}",
                    "range": True,
                    "refId": "A",
                }
            ],
            "title": "Requests",
            "transformations": [{"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": {}}}],
            "type": "timeseries",
        },
        {
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "fieldConfig": {
                "defaults": {
                    "color": {"mode": "thresholds"},
                    "mappings": [{"options": {"0": {"color": "red", "index": 0, "text": "down"}}, "type": "value"}],
                    "thresholds": {
                        "mode": "absolute",
                        "steps": [{"color": "red", "value": None}, {"color": "green", "value": 1}],
                    },
                    "unit": "none",
                },
                "overrides": [],
            },
            "gridPos": {"h": 4, "w": 6, "x": 12, "y": 0},
            "id": 2,
            "options": {
                "colorMode": "background",
                "graphMode": "none",
                "justifyMode": "center",
                "orientation": "auto",
                "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                "showPercentChange": False,
                "textMode": "value",
                "wideLayout": True,
            },
            "pluginVersion": "11.2.0",
            "targets": [
                {
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "expr": 'min(up{job="$job"})',
                    "instant": True,
                    "refId": "A",
                }
            ],
            "title": "Up",
            "type": "stat",
        },
        {
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "fieldConfig": {
                "defaults": {
                    "custom": {
                        "align": "auto",
                        "cellOptions": {"type": "color-text"},
                        "inspect": False,
                        "filterable": True,
                    },
                    "mappings": [],
                    "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}]},
                },
                "overrides": [
                    {"matcher": {"id": "byName", "options": "Value"}, "properties": [{"id": "unit", "value": "s"}]}
                ],
            },
            "gridPos": {"h": 8, "w": 6, "x": 18, "y": 0},
            "id": 3,
            "options": {
                "cellHeight": "sm",
                "footer": {"countRows": False, "fields": "", "reducer": ["sum"], "show": False},
                "showHeader": True,
                "sortBy": [{"desc": True, "displayName": "Value"}],
            },
            "targets": [
                {
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "editorMode": "builder",
                    "expr": 'topk(5, sum by (route) (rate(http_request_duration_seconds_sum{job="$job"}[5m])))',
                    "format": "table",
                    "instant": True,
                    "legendFormat": "__auto",
                    "range": False,
                    "refId": "A",
                }
            ],
            "title": "Slowest routes",
            "transformations": [{"id": "sortBy", "options": {"sort": [{"desc": True, "field": "Value"}]}}],
            "type": "table",
        },
        {
            "gridPos": {"h": 4, "w": 6, "x": 12, "y": 4},
            "id": 4,
            "options": {
                "code": {"language": "plaintext", "showLineNumbers": False, "showMiniMap": False},
                "content": "# Payments\n\nOwned by **team-payments**.",
                "mode": "markdown",
            },
            "pluginVersion": "11.2.0",
            "title": "About",
            "type": "text",
        },
        {
            "collapsed": True,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": 8},
            "id": 5,
            "panels": [
                {
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "fieldConfig": {"defaults": {"unit": "bytes"}, "overrides": []},
                    "gridPos": {"h": 8, "w": 24, "x": 0, "y": 9},
                    "id": 6,
                    "options": {
                        "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
                        "tooltip": {"mode": "single", "sort": "none"},
                    },
                    "targets": [
                        {
                            "expr": 'process_resident_memory_bytes{job="$job"}',
                            "legendFormat": "{{instance}}",
                            "refId": "A",
                        }
                    ],
                    "title": "Memory",
                    "type": "timeseries",
                }
            ],
            "title": "Process",
            "type": "row",
        },
    ],
    "refresh": "30s",
    "schemaVersion": 39,
    "tags": ["payments", "red"],
    "templating": {
        "list": [
            {
                "current": {"selected": False, "text": "Prometheus", "value": "prometheus"},
                "hide": 0,
                "includeAll": False,
                "label": "Data source",
                "multi": False,
                "name": "datasource",
                "options": [],
                "query": "prometheus",
                "queryValue": "",
                "refresh": 1,
                "regex": "",
                "skipUrlSync": False,
                "type": "datasource",
            },
            {
                "current": {"selected": False, "text": "payments", "value": "payments"},
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "definition": "label_values(up, job)",
                "hide": 0,
                "includeAll": False,
                "label": "Job",
                "multi": False,
                "name": "job",
                "options": [],
                "query": {
                    "qryType": 1,
                    "query": "label_values(up, job)",
                    "refId": "PrometheusVariableQueryEditor-VariableQuery",
                },
                "refresh": 2,
                "regex": "",
                "skipUrlSync": False,
                "sort": 1,
                "type": "query",
            },
        ]
    },
    "time": {"from": "now-6h", "to": "now"},
    "timepicker": {},
    "timezone": "browser",
    "title": "Payments API",
    "uid": "payments-api",
    "version": 7,
    "weekStart": "",
}
"""A dashboard as Grafana 11 saves it, with much grafanalib does not model: field overrides, transformations,
data links, legend calcs, plugin options, an `exemplar` target, a variable with `definition` and a query object,
annotations, a collapsed row."""

GRAFANA_DEFAULTS_DROPPED = {"/fiscalYearStartMonth", "/id", "/liveNow", "/weekStart"}
"""grafanalib's Dashboard cannot write these; at the value Grafana assumes when they are absent they are dropped
(`id` is the database id, which moncc never emits)."""
ADDED_BY_THE_BUILD = {
    "/panels/1/fieldConfig/defaults/custom",
    "/panels/1/options/percentChangeColorMode",
    "/panels/1/targets/0/editorMode",
    "/panels/1/targets/0/range",
    "/panels/2/options/frameIndex",
    "/panels/3/datasource",
    "/panels/3/fieldConfig",
    "/panels/3/targets",
    "/panels/4/panels/0/fieldConfig/defaults/color",
    "/panels/4/panels/0/fieldConfig/defaults/custom",
    "/panels/4/panels/0/fieldConfig/defaults/thresholds",
    "/panels/4/panels/0/targets/0/datasource",
    "/panels/4/panels/0/targets/0/editorMode",
    "/panels/4/panels/0/targets/0/instant",
    "/panels/4/panels/0/targets/0/range",
    "/timepicker/hidden",
    "/timepicker/refresh_intervals",
}
"""Fields the input leaves out that the build writes: what moncc fills into every panel (datasource, target
editor mode and range, required options) and the field-config dicts grafanalib always writes at Grafana's
defaults (its deep update cannot take a dict out)."""


def new_project(make_project: ProjectFactory, **modules: str) -> Project:
    project = make_project(**modules)
    (project.root / "dashboards_src").mkdir()
    return project


def write_json(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, indent=2) if not isinstance(document, str) else document, encoding="utf-8")
    return path


def imported(project: Project, *files: Path, force: bool = False) -> Result:
    result = project.run("import", "dashboard", *map(str, files), *(["--force"] if force else []))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    return result


def built_dashboards(project: Project) -> dict[str, bytes]:
    """The emitted dashboards by uid."""
    return {path.name: path.read_bytes() for path in (project.build_dir / "grafana" / "dashboards").glob("*/*.json")}


def differences(given: Any, built: Any, path: str = "") -> list[tuple[str, str]]:
    """(kind, path) of every field dropped, added or changed between two JSON documents."""
    if isinstance(given, dict) and isinstance(built, dict):
        found: list[tuple[str, str]] = []
        for key in sorted(set(given) | set(built)):
            if key not in built:
                found.append(("dropped", f"{path}/{key}"))
            elif key not in given:
                found.append(("added", f"{path}/{key}"))
            else:
                found.extend(differences(given[key], built[key], f"{path}/{key}"))
        return found
    if isinstance(given, list) and isinstance(built, list) and len(given) == len(built):
        return [
            found
            for index, pair in enumerate(zip(given, built, strict=True))
            for found in differences(*pair, f"{path}/{index}")
        ]
    return [] if given == built and type(given) is type(built) else [("changed", path)]


def test_the_repository_dashboards_round_trip_byte_for_byte(make_project: ProjectFactory) -> None:
    assert len(EMITTED) >= 5 and any(path.name == "slo-overview.json" for path in EMITTED)
    project = new_project(make_project, slo_records=SLO_RECORDS)
    result = imported(project, *EMITTED)
    assert result.exit_code == 0, result.stderr
    project.build()
    assert built_dashboards(project) == {path.name: path.read_bytes() for path in EMITTED}


def test_imported_modules_are_plain_grafanalib_without_extra_json(make_project: ProjectFactory) -> None:
    project = new_project(make_project)
    http_api = REPO_ROOT / "build" / "grafana" / "dashboards" / "services" / "http-api-overview.json"
    assert imported(project, http_api).stdout == "wrote dashboards_src/http_api_overview.py\n"
    module = (project.root / "dashboards_src" / "http_api_overview.py").read_text()
    assert module.startswith('"""HTTP API overview: imported from http-api-overview.json')
    imports = [node for node in ast.parse(module).body if isinstance(node, ast.ImportFrom)]
    assert [(node.module, [alias.name for alias in node.names]) for node in imports] == [
        ("grafanalib.core", ["Dashboard", "GridPos", "RowPanel", "Target", "Template", "Templating", "TimeSeries"])
    ]
    assert "\nhttp_api_overview = Dashboard(\n" in module
    assert "extraJson" not in module


def test_a_grafana_11_dashboard_keeps_every_field(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    assert imported(project, write_json(tmp_path, "payments.json", GRAFANA_11)).exit_code == 0
    module = (project.root / "dashboards_src" / "payments_api.py").read_text()
    assert "extraJson=" in module and "TimeSeries(" in module and "DashboardLink(" in module
    project.build()
    built = json.loads(built_dashboards(project)["payments-api.json"])
    found = differences(GRAFANA_11, built)
    assert {path for kind, path in found if kind == "dropped"} == GRAFANA_DEFAULTS_DROPPED
    assert {path for kind, path in found if kind == "added"} == ADDED_BY_THE_BUILD
    assert [path for kind, path in found if kind == "changed"] == []


def test_a_title_that_is_no_identifier_names_the_module_safely(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    document = {**GRAFANA_11, "title": "../../Über: 2xx/5xx rates", "uid": "rates"}
    assert imported(project, write_json(tmp_path, "rates.json", document)).exit_code == 0
    assert sorted(path.name for path in (project.root / "dashboards_src").iterdir()) == ["uber_2xx_5xx_rates.py"]
    project.build()


BAD_INPUTS = [
    (
        "not_json.json",
        '{\n  "title": "x",\n  "panels": [}\n',
        "not_json.json:3: not JSON: Expecting value at column 14",
    ),
    ("list.json", "[1, 2]", "list.json:1: not a Grafana dashboard: expected a JSON object"),
    ("no_title.json", '{\n  "panels": []\n}', "no_title.json:1: not a Grafana dashboard: it has no title"),
    ("no_panels.json", '{"title": "x"}', "no_panels.json:1: not a Grafana dashboard: it has no panels list"),
    (
        "graph.json",
        '{"title": "x",\n "panels": [\n  {"type": "graph", "title": "Old"}]}',
        "graph.json:3: cannot be built by moncc: panel 'Old': panel type 'graph' needs AngularJS, which Grafana 11 "
        "turns off; use TimeSeries (panel type 'timeseries') instead",
    ),
    (
        "geomap.json",
        '{"title": "x",\n "panels": [\n  {"type": "geomap", "title": "Where"}]}',
        "geomap.json:3: panel 'Where': grafanalib has no class for panel type 'geomap'",
    ),
    (
        "week.json",
        '{"title": "x", "weekStart": "monday", "panels": []}',
        "week.json:1: weekStart='monday': grafanalib's Dashboard cannot express it",
    ),
]


@pytest.mark.parametrize(("name", "text", "line"), BAD_INPUTS, ids=[name for name, _, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_writes_nothing(
    make_project: ProjectFactory, tmp_path: Path, name: str, text: str, line: str
) -> None:
    project = new_project(make_project)
    good = write_json(tmp_path, "good.json", GRAFANA_11)
    result = imported(project, good, write_json(project.root, name, text))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.problems == [line]
    assert list((project.root / "dashboards_src").iterdir()) == []


def test_an_existing_module_is_only_overwritten_with_force(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    target = project.root / "dashboards_src" / "payments_api.py"
    target.write_text("kept = True\n")
    source = write_json(tmp_path, "payments.json", GRAFANA_11)
    refused = imported(project, source)
    assert refused.exit_code == 1
    assert refused.problems == ["dashboards_src/payments_api.py exists; pass --force to overwrite it"]
    assert target.read_text() == "kept = True\n"
    assert imported(project, source, force=True).exit_code == 0
    assert "payments_api = Dashboard(" in target.read_text()
