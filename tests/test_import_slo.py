"""`moncc import sloth` / `moncc import openslo`: Sloth's own acceptance inputs, imported and built, give what
Sloth generates from them (compared as in test_slo_generation: parsed PromQL, numbers to 1e-9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Project, ProjectFactory, load_yaml
from tests.test_slo_generation import SLOTH, assert_same_groups, sloth_groups

SOURCE_LABELS = {"sloth_mode": "cli-gen-prom", "sloth_spec": "prometheus/v1"}
"""What `sloth_slo_info` says about the input format: moncc always writes Sloth's Prometheus-spec values."""


def imported(project: Project, command: str, *args: str | Path) -> list[str]:
    result = project.run("import", command, *map(str, args))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def built_groups(project: Project, module: str) -> list[dict[str, Any]]:
    project.build()
    groups: list[dict[str, Any]] = load_yaml(project.build_dir / "prometheus" / f"{module}.rules.yaml")["groups"]
    return groups


def with_source_labels(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for group in groups:
        for rule in group["rules"]:
            if rule.get("record") == "sloth_slo_info":
                rule["labels"].update(SOURCE_LABELS)
    return groups


@pytest.mark.parametrize("spec", ["in-base.yaml", "in-base-k8s.yaml"])
def test_a_sloth_spec_builds_to_what_sloth_generates(make_project: ProjectFactory, spec: str) -> None:
    project = make_project()
    module = spec.removesuffix(".yaml").replace("-", "_")
    assert imported(project, "sloth", SLOTH / spec) == [f"wrote rules_src/{module}.py"]
    assert_same_groups(built_groups(project, module), sloth_groups("out-base.yaml.tpl"))


def test_an_openslo_document_builds_to_what_sloth_generates(make_project: ProjectFactory) -> None:
    project = make_project()
    assert imported(project, "openslo", SLOTH / "in-openslo.yaml") == ["wrote rules_src/in_openslo.py"]
    expected = with_source_labels(sloth_groups("out-openslo.yaml.tpl"))
    assert_same_groups(built_groups(project, "in_openslo"), expected)


def test_imported_slo_alerts_pass_their_generated_tests(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, "sloth", SLOTH / "in-base.yaml")
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_the_module_reads_like_a_hand_written_slo(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, "openslo", SLOTH / "in-openslo.yaml")
    module = (project.rules_dir / "in_openslo.py").read_text()
    assert "from compiler.dsl import SLO, ErrorRatioSLI\n" in module
    assert '    name="slo1-0",\n    objective=99.9,\n' in module
    assert "[{{window}}]" in module and "{{.window}}" not in module


@pytest.mark.parametrize(
    ("command", "text", "problem"),
    [
        ("sloth", "version: prometheus/v2\n", "1: unknown kind (none) of apiVersion (none)"),
        ("sloth", "version: prometheus/v1\nservice: a\nslos:\n- name: b\n  objective: 99\n", "4: slo: no sli"),
        (
            "sloth",
            "version: prometheus/v1\nservice: a\nslos:\n- name: b\n  objective: 99\n  sli:\n    raw:\n"
            "      error_ratio_query: sum(rate(x[{{.window}}]) /\n",
            "8: error-ratio SLI: query: invalid PromQL: unclosed left parenthesis",
        ),
        ("openslo", "apiVersion: openslo/v1alpha\nkind: Service\n", "1: unknown kind Service"),
        ("openslo", "{", "2: not valid YAML"),
    ],
)
def test_bad_slo_specs_are_one_line_at_their_file_and_line(
    make_project: ProjectFactory, tmp_path: Path, command: str, text: str, problem: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    project = make_project()
    result = project.run("import", command, str(bad))
    assert result.crash is None and result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert len(result.problems) == 1 and result.problems[0].startswith(f"{bad}:{problem}"), result.problems
    assert list(project.rules_dir.iterdir()) == []


def test_an_existing_module_is_replaced_only_with_force(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, "sloth", SLOTH / "in-base.yaml")
    result = project.run("import", "sloth", str(SLOTH / "in-base.yaml"))
    assert result.exit_code == 1 and result.problems == ["rules_src/in_base.py exists; pass --force to overwrite it"]
    imported(project, "sloth", SLOTH / "in-base.yaml", "--force")
