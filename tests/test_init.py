"""`moncc init [DIR]`: a new project that builds, tests and lints at once, and never a file written over."""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from compiler.cli import cli
from compiler.settings.project import Settings, load_project
from tests.conftest import BOTH_ENGINES, REPO_ROOT, Project, Result, tree_bytes

PROJECT_FILES = [
    ".github/workflows/moncc.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "dashboards_src/api.py",
    "pyproject.toml",
    "rules_src/api.py",
    "rules_src/metrics.py",
    "rules_src/routing.py",
    "rules_src/slos.py",
]


def init(*args: str, cwd: Path) -> Result:
    with contextlib.chdir(cwd):
        outcome = CliRunner().invoke(cli, ["init", *args])
    crash = None if outcome.exception is None or isinstance(outcome.exception, SystemExit) else outcome.exception
    return Result(outcome.exit_code, outcome.stdout, outcome.stderr, crash)


def test_init_writes_a_project_that_builds_tests_and_lints(tmp_path: Path) -> None:
    result = init("monitoring", cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    root = tmp_path / "monitoring"
    assert sorted(tree_bytes(root)) == PROJECT_FILES
    assert result.stdout.splitlines()[-1] == "next: moncc build && moncc test && moncc lint"
    project = Project(root)

    built = project.build()
    # One line: the catalogue declares every metric the sources read, so no note about undeclared ones.
    assert re.fullmatch(f"built \\d+ files into build/, checked on {BOTH_ENGINES}\n", built.stdout)

    tested = project.run("test")
    assert tested.exit_code == 0, tested.stdout + tested.stderr
    assert "alerts: 3, fully tested: 3 (100%), exempt: 0; tests: 9 passed, 0 failed" in tested.stdout
    assert "routing: 3 route test(s) and 3 alert label set(s)" in tested.stdout

    linted = project.run("lint")
    assert (linted.exit_code, linted.stdout, linted.stderr) == (0, "", "lint: 0 finding(s), 0 at or above warning\n")
    assert project.run("check").exit_code == 0


def test_init_without_a_folder_writes_here(tmp_path: Path) -> None:
    result = init(cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(tree_bytes(tmp_path)) == PROJECT_FILES
    pyproject = tomllib.loads((tmp_path / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == tmp_path.name.lower()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "rules_src").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n", encoding="utf-8")
    (tmp_path / "rules_src" / "api.py").write_text("# mine\n", encoding="utf-8")
    before = tree_bytes(tmp_path)

    result = init(".", cwd=tmp_path)

    assert result.crash is None
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.problems == [
        "pyproject.toml, rules_src/api.py exist: moncc init writes nothing over a file, so it wrote nothing"
    ]
    assert tree_bytes(tmp_path) == before
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == [
        "pyproject.toml",
        "rules_src",
        "rules_src/api.py",
    ]


def test_the_settings_are_spelled_out_with_their_defaults(tmp_path: Path) -> None:
    init(cwd=tmp_path)
    assert load_project(tmp_path).settings == Settings()
    table = tomllib.loads((tmp_path / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["moncc"]
    # Every setting is written out; only `promtool` is commented (set, it makes its engines required).
    assert _keys(Settings().model_dump()) == set(_fields(Settings))
    missing = set(_fields(Settings)) - _keys(table) - {"promtool"}
    assert not missing, f"spell out {sorted(missing)} in compiler/init_command/templates/pyproject.toml"
    assert _keys(table) <= set(_fields(Settings))


def _keys(table: dict[str, Any], prefix: str = "") -> set[str]:
    """Dotted keys of the settings: nested settings tables descend, other tables (labels, disable) are values."""
    keys = set()
    for key, value in table.items():
        if isinstance(value, dict) and key in {"kubernetes", "grafana", "lint"}:
            keys |= _keys(value, f"{prefix}{key}.")
        else:
            keys.add(prefix + key)
    return keys


def _fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    names = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names += _fields(annotation, f"{prefix}{name}.")
        else:
            names.append(prefix + name)
    return names


def test_the_workflow_builds_checks_tests_on_every_engine_and_annotates_lint(tmp_path: Path) -> None:
    init(cwd=tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/moncc.yml").read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as true
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [line.strip() for run in runs for line in run.splitlines() if line.strip().startswith("moncc ")]
    assert commands == [
        "moncc check",
        "moncc build",
        "moncc test --engine prometheus-2 --engine prometheus-3",
        "moncc lint --format github",
    ]
    install = next(run for run in runs if "pip install" in run)
    assert "$MONCC" in install
    assert "moncc==" in workflow["env"]["MONCC"]
    assert {"PROMTOOL=", "PROMTOOL3=", "AMTOOL="} <= {
        word[: word.index("=") + 1] for run in runs for word in run.replace('"', " ").split() if "=" in word
    }


def test_the_pre_commit_hooks_are_moncc_s_own_run_by_the_installed_moncc(tmp_path: Path) -> None:
    init(cwd=tmp_path)
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repository] = config["repos"]
    assert repository["repo"] == "local"
    published = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    same = ("id", "name", "entry", "pass_filenames", "files")
    assert [{key: hook[key] for key in same} for hook in repository["hooks"]] == [
        {key: hook[key] for key in same} for hook in published
    ]
    assert {hook["language"] for hook in repository["hooks"]} == {"system"}
