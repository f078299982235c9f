"""Which project a command works on: without `--project`, the nearest folder at or above the working directory
whose pyproject.toml has a `[tool.moncc]` table. Run anywhere else, a command says what it looked for and
where, in one line, and writes nothing."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

from compiler.cli import cli
from tests.conftest import GOOD_MODULE, Project, ProjectFactory, Result, source, tree_bytes

RULE_FILE = """\
groups:
  - name: upstream
    rules:
      - alert: DiskFull
        expr: node_filesystem_avail_bytes == 0
        for: 5m
        labels:
          severity: page
"""


def moncc(cwd: Path, *args: str) -> Result:
    """`moncc ARGS` without `--project`, run in-process from `cwd`."""
    with contextlib.chdir(cwd):
        outcome = CliRunner().invoke(cli, list(args))
    crash = None if outcome.exception is None or isinstance(outcome.exception, SystemExit) else outcome.exception
    return Result(outcome.exit_code, outcome.stdout, outcome.stderr, crash)


def refused(cwd: Path, *args: str) -> str:
    """Run, insist on exit 1 with one problem line, no traceback and nothing written below `cwd`'s parent."""
    before = sorted(cwd.parent.rglob("*"))
    result = moncc(cwd, *args)
    assert (result.exit_code, result.crash, result.stdout) == (1, None, "")
    assert len(result.problems) == 1, result.stderr
    assert sorted(cwd.parent.rglob("*")) == before
    return result.problems[0]


def folders_named_build(project: Project) -> list[str]:
    return sorted(path.relative_to(project.root).as_posix() for path in project.root.rglob("build"))


# --- found from below ---------------------------------------------------------------------------------------------


def test_run_in_the_rules_folder_it_builds_and_checks_the_projects_build(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    built = moncc(project.rules_dir, "build")
    assert (built.exit_code, built.crash) == (0, None), built.stderr
    assert re.match(rf"built \d+ files into {re.escape(str(project.build_dir))}/, checked", built.stdout)
    assert (project.build_dir / "prometheus" / "good.rules.yaml").is_file()
    assert folders_named_build(project) == ["build"]
    checked = moncc(project.rules_dir, "check")
    assert (checked.exit_code, checked.crash) == (0, None), checked.stderr
    assert re.match(rf"ok: \d+ files checked on .*; {re.escape(str(project.build_dir))}/ is current", checked.stdout)


def test_run_in_a_nested_folder_it_tests_the_whole_project(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    nested = project.write("team/oncall/pager", GOOD_MODULE.replace('"good"', '"pager"')).parent
    tested = moncc(nested, "test")
    assert (tested.exit_code, tested.crash) == (1, None)
    assert "alerts: 2, fully tested: 0 (0%)" in tested.stdout
    assert folders_named_build(project) == []


def test_a_pyproject_without_a_moncc_table_on_the_way_up_is_passed_over(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    helper = project.root / "tools" / "helper"
    helper.mkdir(parents=True)
    (helper / "pyproject.toml").write_text('[project]\nname = "helper"\n', encoding="utf-8")
    result = moncc(helper, "build")
    assert (result.exit_code, result.crash) == (0, None), result.stderr
    assert folders_named_build(project) == ["build"]


def test_import_from_a_subfolder_writes_into_the_projects_rules_folder(make_project: ProjectFactory) -> None:
    project = make_project()
    upstream = project.root / "upstream"
    upstream.mkdir()
    (upstream / "disk.rules.yaml").write_text(RULE_FILE, encoding="utf-8")
    result = moncc(upstream, "import", "rules", "disk.rules.yaml")
    assert (result.exit_code, result.crash) == (0, None), result.stderr
    assert result.stdout == f"wrote {project.rules_dir / 'disk.py'}\n"
    assert sorted(path.name for path in upstream.iterdir()) == ["disk.rules.yaml"]


# --- nothing found, or a folder missing: one line ------------------------------------------------------------------


def test_no_project_above_the_working_directory_is_one_line(tmp_path: Path) -> None:
    elsewhere = tmp_path / "home" / "notes"
    elsewhere.mkdir(parents=True)
    (elsewhere / "pyproject.toml").write_text('[project]\nname = "notes"\n', encoding="utf-8")
    assert refused(elsewhere, "build") == (
        f"no moncc project: no pyproject.toml with a [tool.moncc] table in {elsewhere} or any folder above it"
        " (run moncc inside the repository, add the table to its pyproject.toml, or pass --project)"
    )


def test_a_project_folder_without_pyproject_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "home" / "rules_src").mkdir(parents=True)
    assert refused(tmp_path / "home", "--project", ".", "build") == (
        f"--project {tmp_path / 'home'}: no pyproject.toml there (moncc reads its settings from its [tool.moncc])"
    )


def test_a_project_folder_without_a_moncc_table_is_one_line(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[project]\nname = "mine"\n', good=GOOD_MODULE)
    assert refused(project.root, "--project", str(project.root), "check") == (
        "pyproject.toml:1: --project: no [tool.moncc] table (add one, even empty, to make this a moncc project)"
    )


def test_an_unreadable_pyproject_on_the_way_up_is_reported_not_skipped(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    broken = project.root / "tools"
    broken.mkdir()
    (broken / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    assert refused(broken, "lint").startswith("pyproject.toml:1: invalid TOML: ")


def test_a_configured_source_folder_missing_is_one_line_from_a_subfolder(make_project: ProjectFactory) -> None:
    pyproject = source(
        """
        [tool.moncc]
        rules_dir = "rules_src"
        dashboards_dir = "dashboards"
        """
    )
    project = make_project(pyproject=pyproject, good=GOOD_MODULE)
    assert refused(project.rules_dir, "build") == (
        f"{project.root / 'pyproject.toml'}:3: [tool.moncc] dashboards_dir: 'dashboards' is not a folder"
    )
    assert tree_bytes(project.build_dir) == {}


# --- moncc --version --------------------------------------------------------------------------------------------


def test_version_is_the_installed_packages_and_needs_no_project(tmp_path: Path) -> None:
    moncc_script = Path(sys.executable).parent / "moncc"
    result = subprocess.run([str(moncc_script), "--version"], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"moncc {version('moncc')}\n", "")
