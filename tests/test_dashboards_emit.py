"""Emitted dashboards: Grafana's JSON Schema, determinism, uids, provisioning file, ConfigMaps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from grafanalib.core import (
    BarGauge,
    Dashboard,
    GaugePanel,
    Graph,
    RowPanel,
    SingleStat,
    Stat,
    Table,
    Target,
    Templating,
    Text,
    TimeSeries,
)

from compiler.dsl.dashboards import datasource_variable, label_variable, red_row, slo_error_budget_panel, use_row
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.dashboard_configmaps import CONFIGMAP_LIMIT
from compiler.emit.dashboard_text import json_text
from compiler.emit.dashboards import emit_dashboards
from compiler.load.dashboards import DashboardModule, LoadedDashboards, LocatedDashboard, load_dashboards
from compiler.model.build import adapt_dashboards
from compiler.model.dashboards.document import MAX_UID_LENGTH, derive_uid, modern_dashboard
from compiler.problems import Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings
from tests.grafana_schemas import schema_errors

ROOT = Path(__file__).resolve().parent.parent
HERE = SourceLocation(Path("dashboards_src/test.py"), 7)


def loaded(*dashboards: Any, module: str = "test") -> LoadedDashboards:
    located = tuple(LocatedDashboard(d, SourceLocation(HERE.path, HERE.line + i)) for i, d in enumerate(dashboards))
    return LoadedDashboards((DashboardModule(module, HERE.path, f"dashboards_src/{module}.py", "team", located),), ())


def adapted_and_emitted(
    tree: ArtifactTree, source: LoadedDashboards, recorded: set[str] | None = None
) -> list[Problem]:
    """The model's adaptation then the dashboards emitter, as a build runs them; every problem of both."""
    adapted, problems = adapt_dashboards(source, GrafanaSettings(), frozenset(recorded or ()))
    return [*problems, *emit_dashboards(tree, adapted, GrafanaSettings())]


def emit(*dashboards: Any, recorded: set[str] | None = None) -> tuple[ArtifactTree, list[str]]:
    tree = ArtifactTree()
    problems = adapted_and_emitted(tree, loaded(*dashboards), recorded)
    return tree, [str(problem) for problem in [*problems, *tree.problems]]


def repository_tree() -> tuple[ArtifactTree, list[str]]:
    source = load_dashboards(ROOT, ROOT / "dashboards_src")
    tree = ArtifactTree()
    problems = adapted_and_emitted(tree, source)
    return tree, [str(p) for p in [*source.problems, *problems, *tree.problems]]


def json_files(tree: ArtifactTree) -> dict[str, dict[str, Any]]:
    return {str(path): json.loads(text) for path, text in tree if path.suffix == ".json"}


def test_every_repository_dashboard_validates_against_grafana_schemas() -> None:
    tree, problems = repository_tree()
    assert problems == []
    documents = json_files(tree)
    assert sorted(documents) == [
        "grafana/dashboards/infrastructure/host-overview.json",
        "grafana/dashboards/services/http-api-overview.json",
        "grafana/dashboards/services/message-queue.json",
        "grafana/dashboards/services/websocket-gateway.json",
    ]
    for path, document in documents.items():
        assert schema_errors(document) == [], path


def test_repository_dashboards_are_modern_and_consistent() -> None:
    tree, _ = repository_tree()
    for path, document in json_files(tree).items():
        assert document["schemaVersion"] >= 39, path
        variables = {v["name"]: v for v in document["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource"
        assert variables["datasource"]["query"] == "prometheus"
        panels = [p for panel in document["panels"] for p in (panel, *panel.get("panels", []))]
        assert len({p["id"] for p in panels}) == len(panels), path
        assert_no_overlaps([p["gridPos"] for p in document["panels"]])
        for panel in panels:
            if panel["type"] != "row":
                assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            if panel["type"] == "timeseries":
                assert panel["options"]["legend"]["showLegend"] is True


def assert_no_overlaps(positions: list[dict[str, int]]) -> None:
    cells: set[tuple[int, int]] = set()
    for position in positions:
        assert position["x"] + position["w"] <= 24
        area = {
            (x, y)
            for x in range(position["x"], position["x"] + position["w"])
            for y in range(position["y"], position["y"] + position["h"])
        }
        assert not cells & area, position
        cells |= area


def test_every_helper_gives_schema_valid_panels_and_mixes_with_grafanalib() -> None:
    dashboard = Dashboard(
        title="Helpers",
        templating=Templating([datasource_variable(), label_variable("job", "up"), label_variable("instance", "up")]),
        panels=[
            red_row("API", 'job="$job"'),
            use_row(),
            slo_error_budget_panel("api", "availability"),
            TimeSeries(title="Plain", targets=[Target(expr="up")]),
            Stat(title="Plain stat", targets=[Target(expr="up")]),
            Table(title="Table", targets=[Target(expr="up", instant=True, format="table")]),
            GaugePanel(title="Gauge", targets=[Target(expr="up")]),
            BarGauge(title="Bar gauge", targets=[Target(expr="up")]),
            Text(title="Notes", content="# hello"),
            RowPanel(
                title="Collapsed", collapsed=True, panels=[TimeSeries(title="Hidden", targets=[Target(expr="up")])]
            ),
        ],
    )
    tree, problems = emit(dashboard, recorded={"slo:period_error_budget_remaining:ratio"})
    assert problems == []
    (document,) = json_files(tree).values()
    assert schema_errors(document) == []
    assert_no_overlaps([p["gridPos"] for p in document["panels"]])
    stat = next(p for p in document["panels"] if p["title"] == "api availability: error budget left")
    assert stat["targets"][0]["expr"] == (
        'slo:period_error_budget_remaining:ratio{sloth_service="api", sloth_slo="availability"}'
    )


def test_the_datasource_variable_is_added_when_missing() -> None:
    document = modern_dashboard(Dashboard(title="Bare"), "m", GrafanaSettings()).document
    assert document["templating"]["list"][0]["name"] == "datasource"
    assert schema_errors(document) == []


@pytest.mark.parametrize(
    ("panel", "replacement"),
    [
        (Graph(title="Old", targets=[Target(expr="up")]), "TimeSeries"),
        (SingleStat(title="Old", targets=[Target(expr="up")]), "Stat"),
        (Table(title="Old", extraJson={"type": "table-old"}), "panel type 'table'"),
    ],
)
def test_angular_panels_are_rejected_naming_the_replacement(panel: Any, replacement: str) -> None:
    _, problems = emit(Dashboard(title="Legacy", panels=[panel]))
    assert len(problems) == 1
    assert problems[0].startswith("dashboards_src/test.py:7: dashboard 'Legacy': panel 'Old': ")
    assert "AngularJS" in problems[0] and replacement in problems[0]


def test_legacy_settings_the_author_changed_are_reported_not_dropped() -> None:
    _, problems = emit(Dashboard(title="Legacy", panels=[TimeSeries(title="P", minSpan=4)]))
    assert problems == [
        "dashboards_src/test.py:7: dashboard 'Legacy': panel 'P': minSpan=4 has no place in "
        "Grafana's panel model and would be lost; remove it"
    ]


def test_uid_is_derived_stably_within_40_safe_characters() -> None:
    assert derive_uid("http_api", "HTTP API overview") == "http-api-http-api-overview"
    long = derive_uid("team/payments", "A very long dashboard title that goes on and on")
    assert long == derive_uid("team/payments", "A very long dashboard title that goes on and on")
    assert len(long) <= MAX_UID_LENGTH
    assert long != derive_uid("team/payments", "A very long dashboard title that goes on and on!")
    assert all(c.isalnum() or c == "-" for c in long)


def test_two_runs_give_byte_identical_files() -> None:
    first, _ = repository_tree()
    second, _ = repository_tree()
    assert dict(first) == dict(second)
    for path, text in first:
        if path.suffix == ".json":
            assert text.endswith("}\n") and '\n  "' in text


def test_provisioning_file_shape() -> None:
    tree, _ = repository_tree()
    provider = yaml.safe_load(tree.files[next(p for p in tree.files if p.name == "dashboards.yaml")])
    assert provider == {
        "apiVersion": 1,
        "providers": [
            {
                "name": "moncc",
                "type": "file",
                "disableDeletion": False,
                "allowUiUpdates": False,
                "updateIntervalSeconds": 30,
                "options": {"path": "/var/lib/grafana/dashboards", "foldersFromFilesStructure": True},
            }
        ],
    }


def test_configmap_carries_the_dashboard_with_label_and_folder_annotation() -> None:
    tree, _ = emit(Dashboard(title="Small", uid="small-one"))
    configmap = yaml.safe_load(tree.files[next(p for p in tree.files if p.parts[0] == "kubernetes")])
    assert configmap["metadata"] == {
        "name": "grafana-dashboard-small-one",
        "namespace": "monitoring",
        "labels": {"grafana_dashboard": "1"},
        "annotations": {"grafana_folder": "team"},
    }
    json_path = next(p for p in tree.files if p.suffix == ".json")
    assert str(json_path) == "grafana/dashboards/team/small-one.json"
    assert configmap["data"] == {"small-one.json": tree.files[json_path]}


def test_a_configmap_over_one_mebibyte_is_a_build_error() -> None:
    huge = Dashboard(title="Huge", uid="huge", description="x" * CONFIGMAP_LIMIT)
    tree, problems = emit(huge)
    assert len(problems) == 1
    assert problems[0].startswith("dashboards_src/test.py:7: dashboard 'huge': its ConfigMap would hold ")
    assert "1 MiB" in problems[0]
    assert not any(p.parts[0] == "kubernetes" for p in tree.files)


def test_dashboard_text_is_what_json_dumps_writes() -> None:
    tree, _ = repository_tree()
    samples: list[Any] = [json.loads(text) for path, text in tree if path.suffix == ".json"]
    samples.append({"z": [1.5, float("nan"), 1e-9, -0.0, True, None, 'é\u2028"\n', {}, [], {"b": [{}], "a": 1}]})
    for sample in samples:
        assert json_text(sample) == json.dumps(sample, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
