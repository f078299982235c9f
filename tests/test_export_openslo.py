"""build/openslo/<slo_id>.yaml: every SLO as an OpenSLO v1 document, valid against the schema of what moncc
writes, and read back by `moncc import openslo` as the same SLO."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier
from compiler.emit.openslo import openslo_document
from compiler.emit.yaml_text import to_yaml
from compiler.import_command.openslo import read_openslo
from compiler.promql.parse import parse_expr
from compiler.verify.crd_schema import schema_validator
from compiler.verify.openslo_schema import SCHEMA
from tests.conftest import REPO_ROOT, ProjectFactory, load_yaml

REPOSITORY_SLOS = [
    value for value in runpy.run_path(str(REPO_ROOT / "rules_src" / "slos.py")).values() if isinstance(value, SLO)
]

TEST_SLOS = [
    SLO(
        service="checkout",
        name="success",
        objective=99.95,
        period="28d",
        sli=RatioSLI(
            errors='sum(rate(orders_total{result="failed"}[{{window}}]))',
            total="sum(rate(orders_total[{{window}}]))",
        ),
    ),
    SLO(
        service="search",
        name="latency",
        objective=95,
        description="95% of searches within 250ms.",
        sli=LatencySLI(metric="search_duration_seconds", selector='index="main"', threshold=0.25),
        alerting=Alerting(name="SearchLatencyBudgetBurn", page=Tier(enabled=False), ticket=Tier(severity="warning")),
    ),
    SLO(
        service="mail",
        name="jobs",
        objective=99,
        period="7d",
        sli=ErrorRatioSLI(query="max(rate(jobs_failed_total[{{window}}]) / rate(jobs_total[{{window}}]))"),
    ),
]


def carried(slo: SLO) -> tuple[object, ...]:
    """What OpenSLO carries of an SLO: all of it but the alerts, the rule labels and the test traffic."""
    return (slo.slo_id, slo.objective, slo.period, slo.description, promql(slo.sli.error_ratio_query("1h")))


def promql(query: str) -> str:
    """A query as Prometheus reads it: the same expression in any layout reads the same."""
    return str(parse_expr(query))


def exported_and_imported(slo: SLO, tmp_path: Path) -> list[SLO]:
    path = tmp_path / f"{slo.slo_id}.yaml"
    path.write_text(to_yaml(openslo_document(slo)))
    return read_openslo(path)


@pytest.mark.parametrize("slo", REPOSITORY_SLOS + TEST_SLOS, ids=lambda slo: slo.slo_id)
def test_an_exported_slo_imports_as_the_same_slo(slo: SLO, tmp_path: Path) -> None:
    assert [carried(back) for back in exported_and_imported(slo, tmp_path)] == [carried(slo)]


@pytest.mark.parametrize("slo", REPOSITORY_SLOS + TEST_SLOS, ids=lambda slo: slo.slo_id)
def test_an_exported_slo_is_valid_against_the_schema(slo: SLO) -> None:
    assert [error.message for error in schema_validator(SCHEMA).iter_errors(openslo_document(slo))] == []


def test_every_slo_of_the_repository_is_in_build() -> None:
    assert sorted(path.stem for path in (REPO_ROOT / "build" / "openslo").glob("*.yaml")) == sorted(
        slo.slo_id for slo in REPOSITORY_SLOS
    )


def test_a_ratio_slo_reads_as_openslo_says() -> None:
    assert openslo_document(TEST_SLOS[0]) == {
        "apiVersion": "openslo/v1",
        "kind": "SLO",
        "metadata": {
            "name": "checkout-success",
            "annotations": {"moncc/service": "checkout", "moncc/name": "success"},
        },
        "spec": {
            "service": "checkout",
            "indicator": {
                "metadata": {"name": "checkout-success-sli"},
                "spec": {
                    "ratioMetric": {
                        "counter": False,
                        "bad": prometheus('sum(rate(orders_total{result="failed"}[{{.window}}]))'),
                        "total": prometheus("sum(rate(orders_total[{{.window}}]))"),
                    }
                },
            },
            "timeWindow": [{"duration": "28d", "isRolling": True}],
            "budgetingMethod": "Occurrences",
            "objectives": [{"target": 0.9995}],
        },
    }


def prometheus(query: str) -> dict[str, Any]:
    return {"metricSource": {"type": "Prometheus", "spec": {"query": query}}}


def test_what_openslo_cannot_say_is_in_moncc_annotations() -> None:
    annotations = openslo_document(TEST_SLOS[1])["metadata"]["annotations"]
    assert annotations == {
        "moncc/service": "search",
        "moncc/name": "latency",
        "moncc/alerts": "SearchLatencyBudgetBurn: ticket severity=warning",
    }
    repository = openslo_document(REPOSITORY_SLOS[0])["metadata"]["annotations"]
    assert repository["moncc/labels"] == '{"team": "api", "tier": "frontend"}'


def test_the_repository_export_imports_and_builds_to_the_same_sli_rules(make_project: ProjectFactory) -> None:
    """Every window both builds record is recorded from the same expression (the windows themselves follow the
    alert tiers, which OpenSLO does not carry)."""
    project = make_project()
    exported = sorted((REPO_ROOT / "build" / "openslo").glob("*.yaml"))
    result = project.run("import", "openslo", *map(str, exported))
    assert result.exit_code == 0, result.stderr
    project.build()
    original = sli_recordings(load_yaml(REPO_ROOT / "build" / "prometheus" / "slos.rules.yaml")["groups"])
    imported: dict[str, dict[str, str]] = {}
    for rule_file in project.rule_files():
        imported |= sli_recordings(load_yaml(rule_file)["groups"])
    assert sorted(imported) == sorted(original)
    for group, records in original.items():
        common = records.keys() & imported[group].keys()
        assert "slo:sli_error:ratio_rate5m" in common
        assert {record: imported[group][record] for record in common} == {record: records[record] for record in common}


def sli_recordings(groups: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Each SLO's SLI recording rules: what it records, from which expression."""
    return {
        group["name"]: {rule["record"]: promql(rule["expr"]) for rule in group["rules"]}
        for group in groups
        if group["name"].startswith("sloth-slo-sli-recordings-")
    }


def test_names_openslo_refuses_are_written_as_labels_and_read_back_as_written(tmp_path: Path) -> None:
    slo = SLO(
        service="Checkout_EU",
        name="order.success",
        sli=RatioSLI(errors="sum(rate(e_total[{{window}}]))", total="sum(rate(t_total[{{window}}]))"),
    )
    document = openslo_document(slo)
    assert (document["metadata"]["name"], document["spec"]["service"]) == ("checkout-eu-order-success", "checkout-eu")
    assert [error.message for error in schema_validator(SCHEMA).iter_errors(document)] == []
    assert [carried(back) for back in exported_and_imported(slo, tmp_path)] == [carried(slo)]


def test_two_slos_of_one_openslo_name_fail_the_build_at_the_second(make_project: ProjectFactory) -> None:
    sli = "RatioSLI(errors='sum(rate(e_total[{{window}}]))', total='sum(rate(t_total[{{window}}]))')"
    project = make_project(
        slos=f"from compiler.dsl import SLO, RatioSLI\n\n"
        f'one = SLO(service="shop", name="order_success", sli={sli})\n'
        f'two = SLO(service="shop", name="order-success", sli={sli})\n'
    )
    assert project.build_fails() == [
        "rules_src/slos.py:4: slo shop-order-success: its OpenSLO name 'shop-order-success' is also slo "
        "shop-order_success's (OpenSLO names are lower case, with '-' for '_' and '.'); rename one"
    ]


def test_the_emitted_file_is_yaml_with_a_header() -> None:
    text = (REPO_ROOT / "build" / "openslo" / "api-availability.yaml").read_text()
    assert text.startswith("# Generated by moncc from SLO api-availability of slos.")
    assert yaml.safe_load(text)["metadata"]["name"] == "api-availability"
