"""No setting or source makes moncc lose data: build_dir is refused where a build would replace the project,
its sources or foreign files, and every command recovers what a killed build left behind."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PYPROJECT, GOOD_MODULE, REPO_ROOT, Project, ProjectFactory, tree_bytes

# --- where build_dir may be -----------------------------------------------------------------------------------


def _with_build_dir(make_project: ProjectFactory, build_dir: str) -> Project:
    """A project that sets `build_dir` on line 5 of pyproject.toml, with a git folder and a dashboards folder."""
    project = make_project(
        pyproject=f'[project]\nname = "x"\n\n[tool.moncc]\nbuild_dir = "{build_dir}"\n', good=GOOD_MODULE
    )
    (project.root / ".git").mkdir()
    (project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project.root / "dashboards_src").mkdir()
    (project.root / "dashboards_src" / "keep.txt").write_text("a file of the team's\n")
    return project


@pytest.mark.parametrize(
    ("build_dir", "reason"),
    [
        (".", "is the project root itself"),
        ("", "is the project root itself"),
        ("./", "is the project root itself"),
        ("rules_src", "is the rules folder (rules_dir)"),
        ("rules_src/out", "lies inside the rules folder (rules_dir)"),
        ("dashboards_src", "is the dashboards folder (dashboards_dir)"),
        (".git", "is the git repository (.git)"),
        (".git/objects", "lies inside the git repository (.git)"),
    ],
    ids=["dot", "empty", "dot-slash", "rules", "inside-rules", "dashboards", "git", "inside-git"],
)
@pytest.mark.parametrize("command", ["build", "check", "test", "lint"])
def test_a_build_dir_over_the_project_is_refused_and_nothing_is_lost(
    make_project: ProjectFactory, build_dir: str, reason: str, command: str
) -> None:
    project = _with_build_dir(make_project, build_dir)
    before = tree_bytes(project.root)
    result = project.run(command)
    assert result.crash is None
    assert result.exit_code == 1
    [problem] = result.problems
    assert problem.startswith(f"pyproject.toml:5: [tool.moncc] build_dir: {Path(build_dir).as_posix()!r} {reason}")
    assert tree_bytes(project.root) == before


def test_a_symlinked_build_dir_is_refused(make_project: ProjectFactory, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.txt").write_text("not moncc's\n")
    project = make_project(good=GOOD_MODULE)
    project.build_dir.symlink_to(outside)
    assert project.build_fails() == [
        "pyproject.toml:4: [tool.moncc] build_dir: 'build' is a symbolic link: name the folder it points to,"
        " inside the project"
    ]
    assert (outside / "precious.txt").read_text() == "not moncc's\n"


def test_a_build_dir_below_a_symlink_out_of_the_project_is_refused(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    project = make_project(pyproject='[tool.moncc]\nbuild_dir = "out/build"\n', good=GOOD_MODULE)
    (project.root / "out").symlink_to(outside)
    [problem] = project.build_fails()
    assert problem == (
        f"pyproject.toml:2: [tool.moncc] build_dir: 'out/build' lies outside the project (it resolves to"
        f" {outside / 'build'})"
    )
    assert list(outside.iterdir()) == []


def test_a_build_dir_that_is_a_file_is_refused(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[tool.moncc]\nbuild_dir = "README.md"\n', good=GOOD_MODULE)
    (project.root / "README.md").write_text("# the team's readme\n")
    assert project.build_fails() == ["pyproject.toml:2: [tool.moncc] build_dir: 'README.md' is a file, not a folder"]
    assert (project.root / "README.md").read_text() == "# the team's readme\n"


def test_a_folder_moncc_did_not_make_is_never_replaced(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[tool.moncc]\nbuild_dir = "docs"\n', good=GOOD_MODULE)
    docs = project.root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# our docs\n")
    result = project.run("build")
    assert result.exit_code == 1
    assert result.problems == [
        "pyproject.toml:2: [tool.moncc] build_dir: 'docs' holds files but no .moncc-build stamp, so moncc did not"
        " make it and will not replace it: move its files away or choose another folder (a build by moncc 0.1,"
        " which wrote no stamp, can simply be deleted)"
    ]
    assert tree_bytes(docs) == {"index.md": b"# our docs\n"}
    assert project.leftovers() == []


def test_an_empty_folder_and_a_stamped_build_are_replaced(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    project.build_dir.mkdir()
    project.build()
    assert project.read(".moncc-build").startswith("This folder is made by moncc")
    (project.build_dir / "stray.yaml").write_text("left by hand\n")
    project.build()
    assert not (project.build_dir / "stray.yaml").exists()


def test_the_default_build_dir_when_unset_is_named_by_the_table(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    project.build_dir.mkdir()
    (project.build_dir / "notes.txt").write_text("mine\n")
    [problem] = project.build_fails()
    assert problem.startswith("pyproject.toml:4: [tool.moncc] build_dir: 'build' holds files but no .moncc-build")


# --- recovering what a killed run left ------------------------------------------------------------------------


def _killed_between_the_renames(project: Project) -> dict[str, bytes]:
    """The state the two-rename fallback leaves when killed between its renames: no build/, old one parked."""
    project.build()
    old = project.snapshot()
    retired = project.root / ".build-old-k1ll3d"
    retired.mkdir()
    project.build_dir.rename(retired / "build")
    staging = project.root / ".build-staging-h4lf"
    (staging / "prometheus").mkdir(parents=True)
    (staging / "prometheus" / "good.rules.yaml").write_text("groups: [half written")
    return old


@pytest.mark.parametrize("command", ["build", "check", "test", "lint"])
def test_every_command_restores_build_and_removes_leftovers(make_project: ProjectFactory, command: str) -> None:
    project = make_project(good=GOOD_MODULE)
    old = _killed_between_the_renames(project)
    result = project.run(command)
    assert result.crash is None
    assert "moncc: restored build/ from .build-old-k1ll3d, left by an interrupted build" in result.stderr
    assert project.snapshot() == old
    assert project.leftovers() == []


def test_leftovers_of_a_run_still_going_are_left_alone(make_project: ProjectFactory) -> None:
    """A second moncc in the same project (an editor's, a pre-commit hook's) holds the project's lock."""
    project = make_project(good=GOOD_MODULE)
    project.build()
    staging = project.root / ".build-staging-busy"
    staging.mkdir()
    other_run = os.open(project.root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(other_run, fcntl.LOCK_SH)
        assert project.run("check").exit_code == 0
        assert project.leftovers() == [".build-staging-busy"]
    finally:
        os.close(other_run)
    assert project.run("check").exit_code == 0
    assert project.leftovers() == []


def test_empty_pycache_folders_of_killed_runs_are_removed(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    (temporary / "moncc-pycache-abc123").mkdir()
    (temporary / "moncc-pycache-notempty").mkdir()
    (temporary / "moncc-pycache-notempty" / "data").write_text("someone else's\n")
    (temporary / "unrelated").mkdir()
    project.write("good", GOOD_MODULE)
    project.build()
    assert sorted(path.name for path in temporary.iterdir()) == ["moncc-pycache-notempty", "unrelated"]


def test_a_build_leaves_nothing_in_tmpdir(project: Project, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    project.write("good", GOOD_MODULE)
    environment = {**os.environ, "TMPDIR": str(temporary)}
    moncc = [sys.executable, "-m", "compiler", "--project", str(project.root), "build"]
    subprocess.run(moncc, check=True, capture_output=True, env=environment, cwd=REPO_ROOT)
    assert list(temporary.iterdir()) == []


# --- sources that end the process or hide their groups --------------------------------------------------------


@pytest.mark.parametrize("call", ["sys.exit(0)", "sys.exit()", "raise SystemExit(3)"])
def test_a_module_that_exits_is_an_error_at_its_line(built: Project, call: str) -> None:
    built.write("api", f"import sys\n\n{call}\n")
    [problem] = built.build_fails()
    assert problem.startswith("rules_src/api.py:3: the module exits while moncc imports it")
    assert problem.endswith(": a source module must only define objects")


@pytest.mark.parametrize(
    ("module", "problem"),
    [
        ("class Boom(BaseException):\n    pass\n\n\nraise Boom('no')\n", "rules_src/api.py:5: Boom: no"),
        ("x = 1\nraise GeneratorExit\n", "rules_src/api.py:2: GeneratorExit"),
        (
            "raise ValueError('first\\nsecond\\r\\nthird')\n",
            "rules_src/api.py:1: ValueError: first\\nsecond\\r\\nthird",
        ),
    ],
    ids=["own-base-exception", "generator-exit", "multi-line-message"],
)
def test_a_module_raising_a_base_exception_is_an_error_at_its_line(built: Project, module: str, problem: str) -> None:
    built.write("api", module)
    assert built.build_fails() == [problem]


def test_groups_kept_in_dicts_and_nested_containers_are_collected(make_project: ProjectFactory) -> None:
    project = make_project(
        api="""
        from compiler.dsl import Alert, RuleGroup

        by_team = {
            "api": RuleGroup("api", rules=[Alert("ApiDown", expr='up{job="api"} == 0')]),
            "nested": [(RuleGroup("nested", rules=[Alert("NestedDown", expr='up{job="n"} == 0')]),)],
        }
        """
    )
    project.build()
    assert [group["name"] for group in _groups(project, "api")] == ["api", "nested"]


def test_a_group_kept_where_moncc_does_not_look_is_an_error(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup


        class Holder:
            group = RuleGroup("hidden", rules=[Alert("Hidden", expr="up == 0")])


        RuleGroup("discarded", rules=[Alert("Discarded", expr="up == 0")])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:5: group hidden: not kept where moncc looks for it (a module-level name, or a list,"
        " tuple or dict held by one), so it would never be emitted",
        "rules_src/api.py:8: group discarded: not kept where moncc looks for it (a module-level name, or a list,"
        " tuple or dict held by one), so it would never be emitted",
    ]


def _groups(project: Project, module: str) -> list[dict[str, object]]:
    import yaml

    groups: list[dict[str, object]] = yaml.safe_load(project.read(f"prometheus/{module}.rules.yaml"))["groups"]
    return groups


# --- settings read as UTF-8, whatever the locale ----------------------------------------------------------------


def test_pyproject_is_read_as_utf8_under_any_locale(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[project]\nname = "café"\ndescription = "Überwachung"\n\n[tool.moncc]\n')
    project.write("good", GOOD_MODULE)
    environment = {**os.environ, "LC_ALL": "POSIX", "LANG": "POSIX", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    moncc = [sys.executable, "-m", "compiler", "--project", str(project.root), "build"]
    result = subprocess.run(moncc, capture_output=True, text=True, env=environment, cwd=REPO_ROOT, check=False)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_pyproject_that_is_not_utf8_is_one_line(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE)
    (project.root / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    assert project.build_fails() == [
        "pyproject.toml:2: not UTF-8: invalid continuation byte",
    ]


# --- the project's folders --------------------------------------------------------------------------------------


def test_a_source_folder_set_but_missing_is_refused(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[tool.moncc]\nrules_dir = "rulez"\n', good=GOOD_MODULE)
    assert project.build_fails() == ["pyproject.toml:2: [tool.moncc] rules_dir: 'rulez' is not a folder"]
    assert not project.build_dir.exists()


def test_a_project_without_sources_is_refused_rather_than_built_empty(tmp_path: Path) -> None:
    stranger = Project(tmp_path / "home")
    stranger.root.mkdir()
    stranger.write_pyproject(DEFAULT_PYPROJECT)
    result = stranger.run("build")
    assert (result.exit_code, result.crash) == (1, None)
    assert result.problems == [
        f"pyproject.toml:4: nothing to compile in {stranger.root}: neither rules_src/ nor dashboards_src/ exists"
        " (create one, or name the source folders with rules_dir and dashboards_dir)"
    ]
    assert [path.name for path in stranger.root.iterdir()] == ["pyproject.toml"]


def test_a_missing_project_folder_is_one_line(tmp_path: Path) -> None:
    result = Project(tmp_path / "missing").run("build", cwd=tmp_path)
    assert (result.exit_code, result.crash) == (2, None)
    assert (
        result.stderr.splitlines()[-1]
        == f"Error: Invalid value for '--project': Directory '{tmp_path / 'missing'}' does not exist."
    )


def test_a_file_system_refusal_is_one_line(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[tool.moncc]\nbuild_dir = "out/build"\n', good=GOOD_MODULE)
    (project.root / "out").write_text("a file where a folder should be\n")
    assert project.build_fails() == [f"{project.root / 'out'}: File exists"]


def test_a_group_limit_prometheus_cannot_read_is_one_line(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up == 0")], limit=10**30)
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: group api: limit: Input should be less than or equal to 9223372036854775807"
    ]
