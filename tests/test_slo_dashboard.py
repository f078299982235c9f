"""The generated SLO dashboard: Grafana's JSON Schema, queries on records this build makes, wired into builds."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from jsonschema import Draft7Validator

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.dashboards import Dashboards
from compiler.model.build import build_model
from compiler.settings.project import load_project
from compiler.slo.dashboard import FOLDER, UID
from tests.conftest import GOOD_MODULE, ProjectFactory
from tests.test_slo_cli import MIXED

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "grafana-jsonschema"
PANEL_SCHEMAS = {"timeseries": "timeseries", "stat": "stat"}


@cache
def validator(name: str, definition: str | None = None) -> Draft7Validator:
    schema: dict[str, Any] = json.loads((REFERENCE / f"{name}.jsonschema.json").read_text())
    if definition:
        schema = {**schema, "$ref": f"#/definitions/{definition}"}
    return Draft7Validator(schema)


def schema_errors(document: dict[str, Any]) -> list[str]:
    errors = [f"{e.json_path}: {e.message}" for e in validator("dashboard").iter_errors(document)]
    panels = [p for panel in document["panels"] for p in (panel, *panel.get("panels", []))]
    for panel in panels:
        if panel["type"] == "row":
            continue
        name = PANEL_SCHEMAS[panel["type"]]
        title = panel.get("title")
        errors += [f"{title} options {e.message}" for e in validator(name, "Options").iter_errors(panel["options"])]
        custom = panel["fieldConfig"]["defaults"].get("custom", {})
        if name == "timeseries":
            errors += [f"{title} custom {e.message}" for e in validator(name, "FieldConfig").iter_errors(custom)]
        for target in panel["targets"]:
            errors += [f"{title} target {e.message}" for e in validator("prometheus", "Dataquery").iter_errors(target)]
    return errors


def test_the_slo_dashboard_validates_and_reads_only_records_of_this_build(make_project: ProjectFactory) -> None:
    project = make_project(slos=MIXED)
    model = build_model(load_project(project.root))
    assert model.problems == ()
    tree = ArtifactTree()
    Dashboards().emit(model, tree)
    assert tree.problems == []
    document = json.loads(tree.files[PurePosixPath(f"grafana/dashboards/{FOLDER}/{UID}.json")])
    assert schema_errors(document) == []
    rows = [panel["title"] for panel in document["panels"] if panel["type"] == "row"]
    assert rows == [
        "api availability: 99.9% over 30d",
        "api latency: 99% over 28d",
        "pipeline delivery: 99.5% over 30d",
        "batch success: 95% over 30d",
    ]
    exprs = [target["expr"] for panel in document["panels"] for target in panel.get("targets", [])]
    assert 'slo:period_error_budget_remaining:ratio{sloth_service="api", sloth_slo="latency"}' in exprs
    assert (
        'sum by (sloth_severity) (ALERTS{alertname="ApiLatencyBudgetBurn", sloth_id="api-latency", '
        'alertstate="firing"})' in exprs
    )
    assert any(expr.startswith("slo:sli_error:ratio_rate3d{") for expr in exprs)


def test_a_build_provisions_the_slo_dashboard_only_when_there_are_slos(make_project: ProjectFactory) -> None:
    without = make_project(good=GOOD_MODULE)
    without.build()
    assert not (without.build_dir / "grafana").exists()
    with_slos = make_project(slos=MIXED)
    with_slos.build()
    assert json.loads(with_slos.read(f"grafana/dashboards/{FOLDER}/{UID}.json"))["uid"] == UID
    configmap = with_slos.read(f"kubernetes/dashboards/{UID}.yaml")
    assert "rules_src/slos.py" in configmap
