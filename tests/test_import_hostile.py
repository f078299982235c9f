"""`moncc import` on hostile input: every refusal is one line naming the file (and line where known), exit 1,
never a traceback, nothing written; and refusals come quickly, whatever the input expands to."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from compiler.import_command.yaml_composer import allowed_alias_ratio
from tests.conftest import Project, ProjectFactory

RULE = "groups:\n- name: a\n  limit: {limit}\n  rules:\n  - record: a\n    expr: up\n"
SLOTH = (
    "version: prometheus/v1\nservice: api\nslos:\n- name: availability\n  objective: {objective}\n  sli:\n"
    "    raw:\n      error_ratio_query: rate(errors[{{{{.window}}}}])\n"
)
OPENSLO = (
    "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {{name: api}}\nspec:\n  service: api\n"
    "  timeWindows: [{{count: {count}, unit: Day, isRolling: true}}]\n  objectives:\n  - target: 0.99\n"
    "    ratioMetrics: {{good: {{query: a}}, total: {{query: b}}}}\n"
)


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """Nested aliases: `width ** levels` nodes once expanded, a few hundred bytes as written."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def refused(project: Project, command: str, *files: Path | str) -> str:
    """Run `moncc import COMMAND FILES`, insist it failed cleanly, and return its one problem line."""
    before = sorted(project.root.rglob("*"))
    result = project.run("import", command, *map(str, files))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(project.root.rglob("*")) == before, "a failed import wrote files"
    (problem,) = result.problems
    return problem


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- YAML: tags, recursive aliases, alias amplification ------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "text", "problem"),
    [
        ("rules", RULE.format(limit="!!python/int 3"), "3: limit: expected an integer, got !!python/int '3'"),
        (
            "rules",
            RULE.format(limit='!!python/object/apply:os.system ["echo pwned"]'),
            "3: limit: expected an integer, got a list",
        ),
        (
            "sloth",
            SLOTH.format(objective="!!python/object/apply:os.system [echo]"),
            "5: objective: expected a finite number, got a list",
        ),
        ("sloth", SLOTH.format(objective="!!python/float 99.9"), "5: objective: expected a finite number"),
        ("sloth", SLOTH.format(objective=".inf"), "5: objective: expected a finite number, got '.inf'"),
        ("openslo", OPENSLO.format(count="!!python/int 28"), "6: count: expected an integer, got !!python/int"),
        ("openslo", OPENSLO.format(count="9" * 5000), "6: count: expected an integer, got '9999"),
    ],
)
def test_python_tags_and_unreadable_numbers_are_refused(
    make_project: ProjectFactory, tmp_path: Path, command: str, text: str, problem: str
) -> None:
    bad = write(tmp_path, "bad.yaml", text)
    message = refused(make_project(), command, bad)
    assert message.startswith(f"{bad}:{problem}")
    assert len(message) < 200


@pytest.mark.parametrize("command", ["rules", "sloth", "openslo"])
@pytest.mark.parametrize(
    ("text", "line"), [("groups: &a [*a]\n", 1), ("groups:\n- name: a\n  limit: &a [1, [*a]]\n", 3)]
)
def test_a_recursive_alias_is_refused(
    make_project: ProjectFactory, tmp_path: Path, command: str, text: str, line: int
) -> None:
    bad = write(tmp_path, "bad.yaml", text)
    assert refused(make_project(), command, bad) == (
        f"{bad}:{line}: alias *a is inside the node it names, so it would expand for ever"
    )


@pytest.mark.parametrize("command", ["rules", "sloth", "openslo"])
def test_alias_amplification_is_refused_at_once(make_project: ProjectFactory, tmp_path: Path, command: str) -> None:
    bad = write(tmp_path, "laughs.yaml", billion_laughs())
    started = time.monotonic()
    message = refused(make_project(), command, bad)
    assert time.monotonic() - started < 5
    assert message.startswith(f"{bad}:9: excessive aliasing: 28 nodes as written, ")


def test_aliases_in_a_real_sized_file_are_accepted(make_project: ProjectFactory, tmp_path: Path) -> None:
    """Anchors shared by many rules (a common way to repeat labels) stay well within the limit."""
    rules = "".join(f"  - record: r{index}\n    expr: up\n    labels: *common\n" for index in range(300))
    text = f"common: &common {{team: sre, tier: '1'}}\ngroups:\n- name: a\n  rules:\n{rules}"
    bad = write(tmp_path, "shared.yaml", text)
    assert "rule file: unknown field 'common'" in refused(make_project(), "rules", bad)


def test_the_alias_ratio_falls_from_99_to_10_percent_as_documents_grow() -> None:
    assert allowed_alias_ratio(1_000) == 0.99
    assert allowed_alias_ratio(400_000) == 0.99
    assert allowed_alias_ratio(2_200_000) == pytest.approx(0.545)
    assert allowed_alias_ratio(4_000_000) == 0.10
    assert allowed_alias_ratio(10**12) == 0.10


@pytest.mark.parametrize("command", ["rules", "sloth"])
def test_deep_nesting_is_refused(make_project: ProjectFactory, tmp_path: Path, command: str) -> None:
    bad = write(tmp_path, "deep.yaml", "groups: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert refused(make_project(), command, bad).startswith(f"{bad}:1: ")
    block = write(tmp_path, "block.yaml", "".join(f"{'  ' * depth}- \n" for depth in range(150)) + "  " * 150 + "x\n")
    assert refused(make_project(), command, block) == f"{block}:101: nested more than 100 levels deep"


# --- bytes that are not text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["rules", "sloth", "openslo"])
def test_a_nul_byte_is_one_line(make_project: ProjectFactory, tmp_path: Path, command: str) -> None:
    bad = write(tmp_path, "nul.yaml", b"groups:\n- name: a\x00\n")
    assert refused(make_project(), command, bad) == (
        f"{bad}:2: not valid YAML: character U+0000 is not allowed (control characters are not allowed)"
    )


@pytest.mark.parametrize(("command", "suffix"), [("rules", "yaml"), ("dashboard", "json")])
def test_invalid_utf8_names_its_line(make_project: ProjectFactory, tmp_path: Path, command: str, suffix: str) -> None:
    bad = write(tmp_path, f"latin1.{suffix}", b'{"title": "x",\n "panels": ["caf\xe9"]}\n')
    assert refused(make_project(), command, bad) == f"{bad}:2: cannot read: not UTF-8 text (byte 0xe9)"


def test_a_byte_order_mark_is_accepted(make_project: ProjectFactory, tmp_path: Path) -> None:
    rules = write(tmp_path, "bom.yaml", "\ufeff" + RULE.format(limit=0))
    project = make_project()
    result = project.run("import", "rules", str(rules))
    assert result.exit_code == 0, result.stderr


# --- what is not a file, or too large to be one ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["rules", "sloth", "openslo", "dashboard"])
def test_endless_input_is_refused_quickly(make_project: ProjectFactory, command: str) -> None:
    started = time.monotonic()
    assert refused(make_project(), command, "/dev/zero") == "/dev/zero: cannot read: larger than 64 MiB"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("command", ["rules", "sloth", "openslo", "dashboard"])
def test_a_directory_or_missing_file_is_one_line(make_project: ProjectFactory, tmp_path: Path, command: str) -> None:
    assert refused(make_project(), command, tmp_path) == f"{tmp_path}: cannot read: Is a directory"
    missing = tmp_path / "missing.yaml"
    assert refused(make_project(), command, missing) == f"{missing}: cannot read: No such file or directory"


def test_a_directory_given_as_tests_file_is_one_line(make_project: ProjectFactory, tmp_path: Path) -> None:
    rules = write(tmp_path, "rules.yaml", RULE.format(limit=0))
    project = make_project()
    assert refused(project, "rules", rules, "--tests", tmp_path) == f"{tmp_path}: cannot read: Is a directory"


# --- wrong types in rule files and promtool tests --------------------------------------------------------------


@pytest.mark.parametrize(
    ("tests", "problem"),
    [
        ("tests:\n- input_series: [{values: '1'}]\n  promql_expr_test: [{expr: a, exp_samples: [{}]}]\n", "2: "),
        ("tests:\n- promql_expr_test: [{eval_time: 1m, exp_samples: [{value: 1}]}]\n", "2: promql_expr_test: no expr"),
        ("tests:\n- promql_expr_test:\n  - expr: 'up{{'\n    exp_samples: [{}]\n", "3: expr: invalid PromQL"),
    ],
)
def test_malformed_promtool_tests_are_one_line(
    make_project: ProjectFactory, tmp_path: Path, tests: str, problem: str
) -> None:
    rules = write(tmp_path, "rules.yaml", RULE.format(limit=0))
    bad = write(tmp_path, "tests.yaml", tests)
    assert refused(make_project(), "rules", rules, "--tests", bad).startswith(f"{bad}:{problem}")


# --- dashboards of the wrong shape -----------------------------------------------------------------------------


def dashboard(**fields: object) -> dict[str, object]:
    panel = {"type": "timeseries", "title": "Rate", "targets": [{"expr": "rate(x[5m])", "refId": "A"}]}
    return {"title": "Hostile", "panels": [panel], **fields}


def panel_with(**fields: object) -> dict[str, object]:
    return dashboard(panels=[{"type": "timeseries", "title": "Rate", **fields}])


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (dashboard(templating=[1, 2]), "templating: expected an object or null, got [1, 2]"),
        (dashboard(templating={"list": 1}), "templating.list: expected a list or null, got 1"),
        (dashboard(templating={"list": [{"type": []}]}), "templating.list.0.type: expected a string or null"),
        (dashboard(annotations=1), "annotations: expected an object or null, got 1"),
        (dashboard(links=1), "links: expected a list or null, got 1"),
        (dashboard(timepicker=[1, 2]), "timepicker: expected an object or null, got [1, 2]"),
        (dashboard(uid=1), "uid: expected a string or null, got 1"),
        (dashboard(schemaVersion="x"), "schemaVersion: expected an integer or null, got 'x'"),
        (panel_with(gridPos={}), "panel 'Rate': gridPos: no h, w, x, y"),
        (panel_with(gridPos={"h": "", "w": 1, "x": 0, "y": 0}), "panel 'Rate': gridPos.h: expected an integer"),
        (panel_with(datasource={}), "panel 'Rate': datasource: a datasource reference needs a type, got {}"),
        (panel_with(options=1), "panel 'Rate': options: expected an object or null, got 1"),
        (panel_with(options={"legend": "x"}), "panel 'Rate': options.legend: expected an object or null"),
        (panel_with(fieldConfig={"defaults": 1}), "panel 'Rate': fieldConfig.defaults: expected an object or null"),
        (panel_with(targets=1), "panel 'Rate': targets: expected a list or null, got 1"),
        (panel_with(targets=[{"refId": [1]}]), "panel 'Rate': targets.0.refId: expected a string or null"),
    ],
)
def test_wrong_shaped_dashboard_fields_are_one_line(
    make_project: ProjectFactory, tmp_path: Path, document: dict[str, object], problem: str
) -> None:
    bad = write(tmp_path, "bad.json", json.dumps(document, indent=2))
    line = 4 if problem.startswith("panel") else 1
    assert refused(make_project(), "dashboard", bad).startswith(f"{bad}:{line}: {problem}")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested more than 100 levels deep"),
        (json.dumps(dashboard(description=[[[[[[]]]]]])).replace("[]", "[" * 150 + "]" * 150), "nested more than"),
        ('{"title": "x", "panels": [], "version": ' + "9" * 5000 + "}", "not JSON moncc can read: a number has"),
    ],
)
def test_unreadable_json_is_one_line(make_project: ProjectFactory, tmp_path: Path, text: str, problem: str) -> None:
    bad = write(tmp_path, "bad.json", text)
    assert refused(make_project(), "dashboard", bad).startswith(f"{bad}: {problem}")
