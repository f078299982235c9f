"""`moncc import dashboard`: Grafana dashboard JSON → modules of Grafana's typed model that `moncc build` turns
back into it.

Round trips go through the real CLI: import into a fresh project, build, compare the JSON. Bad input ends in
one `file:line: message` line per problem, exit status 1, and nothing written.
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruff.__main__ import find_ruff_bin

from compiler.grafana.panels import PANEL_KINDS
from compiler.grafana.parse import parse_dashboard
from tests.conftest import REPO_ROOT, Project, ProjectFactory, Result
from tests.grafana.test_model_schema import TYPICAL
from tests.grafana_schemas import schema_errors

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

LEGACY: dict[str, Any] = {
    "title": "Legacy API",
    "uid": "legacy-api",
    "schemaVersion": 14,
    "rows": [
        {
            "title": "Requests",
            "showTitle": True,
            "height": "250px",
            "panels": [
                {
                    "type": "graph",
                    "title": "Rate",
                    "span": 8,
                    "lines": True,
                    "linewidth": 1,
                    "fill": 1,
                    "datasource": "$datasource",
                    "targets": [{"expr": "sum(rate(http_requests_total[5m]))", "refId": "A", "step": 10}],
                },
                {
                    "type": "singlestat",
                    "title": "Up",
                    "span": 4,
                    "datasource": "$datasource",
                    "valueName": "avg",
                    "targets": [{"expr": "min(up)", "refId": "A", "intervalFactor": 2}],
                },
            ],
        }
    ],
    "templating": {
        "list": [{"name": "datasource", "type": "datasource", "query": "prometheus", "current": {}, "hide": 0}]
    },
}
"""A schemaVersion 14 dashboard: a Grafana 4 row holding an AngularJS graph and singlestat."""

SHARED_EXPORT: dict[str, Any] = {
    "__inputs": [{"name": "DS_PROMETHEUS", "label": "Prometheus", "type": "datasource", "pluginId": "prometheus"}],
    "__requires": [{"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"}],
    "title": "Shared export",
    "uid": "shared-export",
    "schemaVersion": 39,
    "panels": [
        {
            "type": "stat",
            "title": "Uptime",
            "datasource": {"uid": "${DS_PROMETHEUS}"},
            "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0},
            "targets": [{"expr": "time() - process_start_time_seconds", "refId": "A"}],
        },
        {
            "type": "timeseries",
            "title": "Requests",
            "datasource": {"type": "prometheus", "uid": "000000001"},
            "gridPos": {"h": 8, "w": 12, "x": 6, "y": 0},
            "targets": [{"expr": "sum(rate(http_requests_total[5m]))", "refId": "A"}],
        },
    ],
    "templating": {
        "list": [{"name": "DS_PROMETHEUS", "type": "datasource", "query": "prometheus", "current": {}, "hide": 0}]
    },
}
"""A dashboard as Grafana's "export for sharing" writes it: its datasource an input, one reference without a
type, one by the exporter's fixed uid, and a stat panel without `reduceOptions`."""


FILLED_IN_BY_THE_BUILD = {
    "/panels/1/targets/0/range",
    "/panels/1/targets/0/editor_mode",
    "/panels/3/datasource",
    "/panels/4/panels/0/targets/0/datasource",
    "/panels/4/panels/0/targets/0/instant",
    "/panels/4/panels/0/targets/0/range",
    "/panels/4/panels/0/targets/0/editor_mode",
}
"""Fields GRAFANA_11 leaves unset that the build fills in as Grafana reads them: a query's datasource (its
panel's), its editor mode and whether it is a range or an instant query; the text panel's datasource."""


STRICT_RUFF = """\
[project]
name = "strict"

[tool.moncc]

[tool.ruff]
line-length = 100

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "SIM", "RUF"]
"""


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


def model_of(document: dict[str, Any]) -> dict[str, Any]:
    """The dashboard as Grafana's typed model reads it: every field, Grafana's defaults filled in."""
    parsed = parse_dashboard(document)
    assert parsed.dashboard is not None, parsed.problems
    return parsed.dashboard.model_dump(mode="json")


def changed_in_the_model(given: Any, built: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, given value) of every field the model reads differently in the built dashboard."""
    if isinstance(given, dict) and isinstance(built, dict):
        return [
            found
            for key in given.keys() | built.keys()
            for found in changed_in_the_model(given.get(key), built.get(key), f"{path}/{key}")
        ]
    if isinstance(given, list) and isinstance(built, list) and len(given) == len(built):
        return [
            found
            for index, pair in enumerate(zip(given, built, strict=True))
            for found in changed_in_the_model(*pair, f"{path}/{index}")
        ]
    return [] if given == built else [(path, given)]


def test_the_repository_dashboards_round_trip(make_project: ProjectFactory) -> None:
    """Built again from their imported modules, the repository's dashboards are what they were, but for the
    fields left at Grafana's default, which the typed model does not write."""
    assert len(EMITTED) >= 5 and any(path.name == "slo-overview.json" for path in EMITTED)
    project = new_project(make_project, slo_records=SLO_RECORDS)
    result = imported(project, *EMITTED)
    assert result.exit_code == 0, result.stderr
    project.build()
    built = built_dashboards(project)
    assert sorted(built) == sorted(path.name for path in EMITTED)
    for path in EMITTED:
        given, made = json.loads(path.read_bytes()), json.loads(built[path.name])
        assert [kind for kind, _ in differences(given, made) if kind != "dropped"] == [], path.name
        assert model_of(made) == model_of(given), path.name


def test_imported_modules_construct_grafanas_typed_model(make_project: ProjectFactory) -> None:
    project = new_project(make_project)
    http_api = REPO_ROOT / "build" / "grafana" / "dashboards" / "services" / "http-api-overview.json"
    assert imported(project, http_api).stdout == "wrote dashboards_src/http_api_overview.py\n"
    module = (project.root / "dashboards_src" / "http_api_overview.py").read_text()
    assert module.startswith('"""HTTP API overview: imported from http-api-overview.json')
    tree = ast.parse(module)
    modules = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
    assert modules and all(name and name.startswith("compiler.grafana") for name in modules)
    assert "\nhttp_api_overview = Dashboard(\n" in module
    assert "extraJson" not in module
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value is None]


def test_a_grafana_11_dashboard_keeps_every_field(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    assert imported(project, write_json(tmp_path, "payments.json", GRAFANA_11)).exit_code == 0
    module = (project.root / "dashboards_src" / "payments_api.py").read_text()
    assert "TimeSeriesPanel(" in module and "DashboardLink(" in module and "FieldOverride(" in module
    project.build()
    built = json.loads(built_dashboards(project)["payments-api.json"])
    assert [kind for kind, _ in differences(GRAFANA_11, built) if kind == "changed"] == []
    filled_in = changed_in_the_model(model_of(GRAFANA_11), model_of(built))
    assert {path for path, given in filled_in if given is None} == FILLED_IN_BY_THE_BUILD
    assert [path for path, given in filled_in if given is not None] == []


def test_a_legacy_dashboard_is_migrated_with_its_choices_in_a_comment(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    project = new_project(make_project)
    assert imported(project, write_json(tmp_path, "legacy.json", LEGACY)).exit_code == 0
    module = (project.root / "dashboards_src" / "legacy_api.py").read_text()
    comments = [line for line in module.splitlines() if line.startswith("# ")]
    assert comments[0] == "# Imported from legacy.json with these choices:"
    assert any(line.startswith("# migrated: ") for line in comments)
    assert "TimeSeriesPanel(" in module and "StatPanel(" in module and '"graph"' not in module
    project.build()
    built = json.loads(built_dashboards(project)["legacy-api.json"])
    assert [(panel["type"], panel["title"]) for panel in built["panels"]] == [
        ("row", "Requests"),
        ("timeseries", "Rate"),
        ("stat", "Up"),
    ]
    assert built["panels"][2]["options"]["reduceOptions"]["calcs"] == ["mean"]


def test_exported_datasource_inputs_become_the_project_variable(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    assert imported(project, write_json(tmp_path, "shared.json", SHARED_EXPORT)).exit_code == 0
    module = (project.root / "dashboards_src" / "shared_export.py").read_text()
    assert "DS_PROMETHEUS" not in module.split("\n\nfrom ", 1)[1]
    assert "# datasource ${DS_PROMETHEUS} is the project's datasource variable ${datasource}" in module
    assert "# datasource uid '000000001' of type prometheus is the project's ${datasource}" in module
    project.build()
    built = json.loads(built_dashboards(project)["shared-export.json"])
    variables = built["templating"]["list"]
    assert [(variable["name"], variable["type"]) for variable in variables] == [("datasource", "datasource")]
    assert [panel["datasource"]["uid"] for panel in built["panels"]] == ["${datasource}", "${datasource}"]
    assert "__inputs" not in built and "__requires" not in built


def test_a_stat_without_reduce_options_shows_the_last_value_as_in_grafana(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    project = new_project(make_project)
    document = {**SHARED_EXPORT, "panels": [SHARED_EXPORT["panels"][0]]}
    assert "reduceOptions" not in json.dumps(document)
    assert imported(project, write_json(tmp_path, "shared.json", document)).exit_code == 0
    project.build()
    built = json.loads(built_dashboards(project)["shared-export.json"])
    assert built["panels"][0]["options"]["reduceOptions"]["calcs"] == ["lastNotNull"]


def test_recorded_series_another_prometheus_records_are_declared(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    panel = {**SHARED_EXPORT["panels"][1], "targets": [{"expr": "sum(job:http_requests:rate5m)", "refId": "A"}]}
    document = {**SHARED_EXPORT, "panels": [panel]}
    assert imported(project, write_json(tmp_path, "shared.json", document)).exit_code == 0
    module = (project.root / "dashboards_src" / "shared_export.py").read_text()
    assert '\nexternal_records = ["job:http_requests:rate5m"]\n' in module
    project.build()


def test_a_panel_of_every_kind_grafana_ships_imports_and_builds_back(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    """One panel of each of the model's kinds, with the options a team typically sets: imported, built, the
    same panel as Grafana's model reads it, and valid against Grafana's schemas."""
    panels = [
        {
            "type": kind,
            "title": f"A {kind}",
            "id": index + 1,
            "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
            "targets": [{"refId": "A", "expr": "sum(rate(http_requests_total[$__rate_interval]))"}],
            "options": TYPICAL[kind]["options"],
            "fieldConfig": {"defaults": {"custom": TYPICAL[kind].get("custom", {})}, "overrides": []},
        }
        for index, kind in enumerate(sorted(PANEL_KINDS))
    ]
    given = {"title": "Every kind", "uid": "every-kind", "schemaVersion": 41, "panels": panels}
    project = new_project(make_project)
    assert imported(project, write_json(tmp_path, "kinds.json", given)).exit_code == 0
    project.build()
    built = json.loads(built_dashboards(project)["every-kind.json"])
    assert [panel["type"] for panel in built["panels"]] == sorted(PANEL_KINDS)
    assert schema_errors(built) == []
    given_model, built_model = model_of(given), model_of(built)
    for given_panel, built_panel in zip(given_model["panels"], built_model["panels"], strict=True):
        assert built_panel["options"] == given_panel["options"], given_panel["type"]
        assert built_panel["field_config"]["defaults"]["custom"] == given_panel["field_config"]["defaults"]["custom"]
        assert built_panel["grid_pos"] == given_panel["grid_pos"]


EVERY_VARIABLE_TYPE = [
    {
        "type": "datasource",
        "name": "datasource",
        "query": "prometheus",
        "current": {"text": "default", "value": "default"},
    },
    {
        "type": "query",
        "name": "job",
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "query": {"query": "label_values(up, job)", "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "definition": "label_values(up, job)",
        "refresh": 2,
        "multi": True,
        "includeAll": True,
        "allValue": ".*",
        "regex": "/api-.*/",
        "sort": 1,
        "current": {"text": ["All"], "value": ["$__all"]},
    },
    {"type": "custom", "name": "quantile", "query": "0.5,0.9,0.99", "current": {"text": "0.99", "value": "0.99"}},
    {"type": "constant", "name": "cluster", "query": "eu-1", "hide": 2},
    {"type": "textbox", "name": "path", "query": "/api", "label": "Path prefix"},
    {"type": "interval", "name": "window", "query": "1m,5m,1h", "auto": True, "auto_count": 30, "auto_min": "10s"},
    {"type": "adhoc", "name": "filters", "datasource": {"type": "prometheus", "uid": "${datasource}"}, "filters": []},
    {"type": "groupby", "name": "by", "datasource": {"type": "prometheus", "uid": "${datasource}"}},
]


def test_variables_of_every_type_and_annotations_are_kept(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    annotation = {
        "name": "Deploys",
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "enable": True,
        "expr": 'changes(build_info{job="$job"}[5m]) > 0',
        "iconColor": "blue",
        "titleFormat": "Deploy",
    }
    document = {
        **SHARED_EXPORT,
        "templating": {"list": EVERY_VARIABLE_TYPE},
        "annotations": {"list": [annotation]},
    }
    assert imported(project, write_json(tmp_path, "shared.json", document)).exit_code == 0
    project.build()
    built = json.loads(built_dashboards(project)["shared-export.json"])
    assert model_of(built)["templating"] == model_of(document)["templating"]
    assert model_of(built)["annotations"] == model_of(document)["annotations"]


def test_imported_modules_pass_a_strict_ruff(make_project: ProjectFactory, tmp_path: Path) -> None:
    """Long queries and prose with ambiguous characters (an en dash) are exempted from exactly what ruff flags."""
    project = new_project(make_project, pyproject=STRICT_RUFF)
    long_query = " + ".join(f'sum(rate(http_requests_total{{job="api-{index}"}}[5m]))' for index in range(4))
    panel = {**SHARED_EXPORT["panels"][1], "title": "Requests \u2013 per second", "targets": [{"expr": long_query}]}
    document = {**SHARED_EXPORT, "title": "Shared \u2013 export", "panels": [panel]}
    assert imported(project, write_json(tmp_path, "shared.json", document)).exit_code == 0
    module = project.root / "dashboards_src" / "shared_export.py"
    result = subprocess.run(
        [find_ruff_bin(), "check", "--no-cache", str(module)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    assert module.read_text().startswith("# ruff: noqa: RUF001, RUF002 (the dashboard's own texts)\n")
    project.build()


def test_a_title_that_is_no_identifier_names_the_module_safely(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    document = {**SHARED_EXPORT, "title": "../../Über: 2xx/5xx rates", "uid": "rates"}
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
        "reduction.json",
        '{"title": "x", "schemaVersion": 39,\n "panels": [\n  {"type": "stat", "title": "Up",\n'
        '   "options": {"reduceOptions": {"calcs": ["average"]}}}]}',
        "reduction.json:3: panel 'Up': options.reduceOptions.calcs: 'average' is not a reduction Grafana knows "
        "(lastNotNull, last, firstNotNull, first, min, max, mean, median, ..., p1-p99)",
    ),
]


@pytest.mark.parametrize(("name", "text", "line"), BAD_INPUTS, ids=[name for name, _, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_writes_nothing(
    make_project: ProjectFactory, tmp_path: Path, name: str, text: str, line: str
) -> None:
    project = new_project(make_project)
    good = write_json(tmp_path, "good.json", SHARED_EXPORT)
    result = imported(project, good, write_json(project.root, name, text))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.problems == [line]
    assert list((project.root / "dashboards_src").iterdir()) == []


def test_an_existing_module_is_only_overwritten_with_force(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = new_project(make_project)
    target = project.root / "dashboards_src" / "shared_export.py"
    target.write_text("kept = True\n")
    source = write_json(tmp_path, "shared.json", SHARED_EXPORT)
    refused = imported(project, source)
    assert refused.exit_code == 1
    assert refused.problems == ["dashboards_src/shared_export.py exists; pass --force to overwrite it"]
    assert target.read_text() == "kept = True\n"
    assert imported(project, source, force=True).exit_code == 0
    assert "shared_export = Dashboard(" in target.read_text()
