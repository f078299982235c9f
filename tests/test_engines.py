"""Engines: the promtools a project verifies and tests on, named in settings and variables, each in the output.

Every test here runs the real promtool 2.42 and 3.5 (conftest sets $PROMTOOL3 to the one `make setup` fetched).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PYPROJECT, GOOD_MODULE, PROMTOOL3, Project, ProjectFactory, promtool_command

PROMTOOL2 = shutil.which(promtool_command()[0]) or promtool_command()[0]

NEWLINE_REGEX = """\
from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, raw

disk = RuleGroup(
    "disk",
    rules=[
        Alert(
            "DiskFullMessage",
            expr='log_messages{msg=~"disk.full"} > 0',
            severity="warning",
            tests=[
                RuleTest(
                    "fires on a message split over two lines",
                    series=[raw('log_messages{msg="disk\\\\nfull"}', "1x20")],
                    expect=[Fires(at="5m", labels={"msg": "disk\\nfull"})],
                ),
                RuleTest(
                    "quiet on other messages",
                    series=[raw('log_messages{msg="disk ok"}', "1x20")],
                    expect=[Quiet(at="5m")],
                ),
            ],
        ),
    ],
)
"""
"""Prometheus 3's regular expressions let `.` match a line break; Prometheus 2's do not. The test holds on 3."""


def engines_in(stdout: str) -> list[str]:
    """The engines a `moncc test` run reported on, from its per-engine lines."""
    return re.findall(r"^(\S+) \(promtool \S+\): \d+ passed", stdout, flags=re.MULTILINE)


# --- a test the engines disagree on ---------------------------------------------------------------------------


def test_a_test_one_engine_passes_is_reported_once_at_its_line_with_both_results(make_project: ProjectFactory) -> None:
    project = make_project(disk=NEWLINE_REGEX)
    result = project.run("test")
    assert result.exit_code == 1
    [failure, gap] = result.problems
    assert failure.startswith(
        'rules_src/disk.py:11: test "fires on a message split over two lines" passes on prometheus-3, '
        "fails on prometheus-2: alert DiskFullMessage at 5m: expected [0: Labels:{"
    ), failure
    assert failure.endswith("got []")
    # A test that fails anywhere shows nothing: the alert is not shown firing.
    assert gap.startswith("rules_src/disk.py:6: alert DiskFullMessage: no test shows it firing")
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"prometheus-2 \(promtool 2\.\S+\): 1 passed, 1 failed; 1 runs, [\d.]+ s of promtool", lines[0])
    assert re.fullmatch(r"prometheus-3 \(promtool 3\.\S+\): 2 passed, 0 failed; 1 runs, [\d.]+ s of promtool", lines[1])
    assert re.fullmatch(r"promtool: 2 runs on \d+ workers, [\d.]+ s CPU in [\d.]+ s wall; longest run .*", lines[2])
    assert "  DiskFullMessage  fires: NO   quiet: yes   rules_src/disk.py:6" in lines
    assert lines[-1] == "alerts: 1, fully tested: 0 (0%), exempt: 0; tests: 1 passed, 1 failed"


def test_engine_picks_the_engines_a_test_run_uses(make_project: ProjectFactory) -> None:
    project = make_project(disk=NEWLINE_REGEX)
    on_3 = project.run("test", "--engine", "prometheus-3")
    assert (on_3.exit_code, on_3.stderr) == (0, "")
    assert engines_in(on_3.stdout) == ["prometheus-3"]
    assert on_3.stdout.splitlines()[-1] == "alerts: 1, fully tested: 1 (100%), exempt: 0; tests: 2 passed, 0 failed"
    on_2 = project.run("test", "--engine", "prometheus-2")
    assert on_2.exit_code == 1
    assert engines_in(on_2.stdout) == ["prometheus-2"]
    assert 'fires on a message split over two lines" fails on prometheus-2: alert' in on_2.problems[0]
    both = project.run("test", "--engine", "prometheus-3", "--engine", "prometheus-2")
    assert engines_in(both.stdout) == ["prometheus-3", "prometheus-2"]


def test_an_unknown_engine_is_one_line(make_project: ProjectFactory) -> None:
    result = make_project(good=GOOD_MODULE).run("test", "--engine", "prometheus-4")
    assert result.exit_code == 1
    assert result.problems == ["unknown engine 'prometheus-4': the engines are prometheus-2, prometheus-3"]


def test_a_rule_one_engine_rejects_is_a_problem_naming_that_engine(make_project: ProjectFactory) -> None:
    """`query_offset` came with Prometheus 2.53: promtool 2.42 refuses the file, 3.5 loads it."""
    project = make_project(
        api="""\
from compiler.dsl import Alert, RuleGroup

api = RuleGroup("api", query_offset="1m", rules=[Alert("Down", expr="up == 0", severity="page")])
"""
    )
    [problem] = project.build_fails()
    assert problem.startswith("rules_src/api.py:3: promtool check rules (prometheus-2): "), problem
    assert "query_offset" in problem
    assert project.run("build").exit_code == 1
    assert project.run("check").problems == [problem]


# --- where engines come from ----------------------------------------------------------------------------------


def test_a_missing_default_engine_is_skipped_with_one_line_saying_how_to_provide_it(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROMTOOL3")
    project = make_project(good=GOOD_MODULE)
    result = project.build()
    note, built = result.stdout.splitlines()
    assert note == (
        "note: engine prometheus-3 skipped: '.tools/promtool-3/usr/bin/promtool' not found; run `make setup` "
        "(it fetches promtool 3.5 into .tools/) or set $PROMTOOL3, or name its command in [tool.moncc.promtool]"
    )
    assert re.fullmatch(r"built 3 files into build/, checked on prometheus-2 \(promtool 2\.\S+\)", built)


def test_an_engine_asked_for_must_be_there(make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMTOOL3")
    project = make_project(good=GOOD_MODULE)
    result = project.run("test", "--engine", "prometheus-3")
    assert result.exit_code == 1
    assert result.problems == [
        "engine prometheus-3: '.tools/promtool-3/usr/bin/promtool' not found; run `make setup` (it fetches "
        "promtool 3.5 into .tools/) or set $PROMTOOL3, or name its command in [tool.moncc.promtool]"
    ]


def test_the_variables_name_each_default_engines_command(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROMTOOL", str(tmp_path / "no-such-promtool"))
    result = make_project(good=GOOD_MODULE).run("build")
    assert result.exit_code == 1
    assert result.problems == [
        f"engine prometheus-2: '{tmp_path / 'no-such-promtool'}' not found; install promtool 2.x (Debian: "
        "`apt-get install prometheus`; `make setup` does it) or set $PROMTOOL, or name its command in "
        "[tool.moncc.promtool]"
    ]
    monkeypatch.setenv("PROMTOOL", str(PROMTOOL3))
    assert "checked on prometheus-2 (promtool 3." in make_project(good=GOOD_MODULE).build().stdout


def test_the_setting_names_the_engines(make_project: ProjectFactory) -> None:
    project = make_project(
        good=GOOD_MODULE,
        pyproject=f'{DEFAULT_PYPROJECT}\n[tool.moncc.promtool]\nlts = "{PROMTOOL3}"\nbookworm = "{PROMTOOL2}"\n',
    )
    assert re.fullmatch(
        r"built 3 files into build/, checked on lts \(promtool 3\.\S+\), bookworm \(promtool 2\.\S+\)\n",
        project.build().stdout,
    )
    result = project.run("test", "--engine", "bookworm")
    assert engines_in(result.stdout) == ["bookworm"]


def test_a_plain_string_setting_is_one_engine(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE, pyproject=f'{DEFAULT_PYPROJECT}promtool = "{PROMTOOL3}"\n')
    assert re.fullmatch(r"built 3 files into build/, checked on promtool \(promtool 3\.\S+\)\n", project.build().stdout)


def test_a_configured_engine_that_is_missing_fails_at_its_setting(make_project: ProjectFactory) -> None:
    project = make_project(
        good=GOOD_MODULE,
        pyproject=f'{DEFAULT_PYPROJECT}\n[tool.moncc.promtool]\nlts = "{PROMTOOL3}"\nold = "bin/promtool --x"\n',
    )
    assert project.build_fails() == [
        "pyproject.toml:8: engine old: 'bin/promtool --x' not found; install it, "
        "or name its command in [tool.moncc.promtool]"
    ]


def test_a_command_that_is_not_promtool_is_refused(make_project: ProjectFactory) -> None:
    project = make_project(good=GOOD_MODULE, pyproject=f'{DEFAULT_PYPROJECT}promtool = "true"\n')
    [problem] = project.build_fails()
    assert problem.startswith(
        "pyproject.toml:5: engine promtool: `true --version` did not answer as promtool does (exit 0): true (GNU"
    ), problem


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[tool.moncc.promtool]\n", "[tool.moncc] promtool: name at least one engine"),
        ('[tool.moncc.promtool]\n"Prom 3" = "promtool"\n', "[tool.moncc] promtool: 'Prom 3' is not an engine name"),
        ('[tool.moncc.promtool]\nlts = "promtool \'--x"\n', '[tool.moncc] promtool: engine lts: "promtool \'--x" is'),
        ('[tool.moncc.promtool]\nlts = " "\n', "[tool.moncc] promtool: engine lts: the command is empty"),
    ],
)
def test_a_careless_engine_setting_is_one_line(make_project: ProjectFactory, table: str, message: str) -> None:
    project: Project = make_project(good=GOOD_MODULE, pyproject=f"{DEFAULT_PYPROJECT}\n{table}")
    [problem] = project.build_fails()
    assert problem.split(": ", 1)[1].startswith(message), problem
