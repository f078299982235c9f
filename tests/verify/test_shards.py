"""Sharding: a module's tests split into staged files of a few tests each, only for running them.

The test files in build/ stay as they are; each shard is a copy at the same depth with some of the tests.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import timedelta
from pathlib import Path, PurePosixPath

import yaml

from compiler.model.build import build_model
from compiler.settings.project import load_project
from compiler.verify import unit_tests
from compiler.verify.shards import plan_shards, write_shards
from tests.conftest import Project, ProjectFactory


def long_tests(count: int, failing: int | None = None, heavy: int | None = None) -> str:
    """A module with `count` tests running for three simulated days; test `failing` expects a wrong result,
    test `heavy` runs for twelve days."""
    tests = []
    for index in range(count):
        at = "12d" if index == heavy else "3d"
        expect = f'Fires(at="{at}", labels={{"job": "a"}})' if index == failing else f'Quiet(at="{at}")'
        tests.append(f'RuleTest("case {index}", series=[raw(\'up{{job="a"}}\', "1x20000")], expect=[{expect}]),')
    body = "\n".join(f"            {test}" for test in tests)
    return (
        "from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, raw\n\n"
        'up = RuleGroup(\n    "up",\n    rules=[\n        Alert(\n            "Down",\n'
        '            expr="up == 0",\n            untested="the cases only need to run",\n'
        f"            tests=[\n{body}\n            ],\n        ),\n    ],\n)\n"
    )


def planned(
    project: Project, workers: int = 2
) -> tuple[list[unit_tests.TestFile], list[PurePosixPath], list[list[str]]]:
    files = unit_tests.test_files(build_model(load_project(project.root)))
    shards = plan_shards(files, timedelta(minutes=1), workers)
    return files, [shard.path for shard in shards], [[test.test.name for test in shard.tests] for shard in shards]


def test_each_test_runs_once_in_a_shard_of_consecutive_tests(make_project: ProjectFactory) -> None:
    _, paths, names = planned(make_project(up=long_tests(6)))
    assert sorted(names) == [["case 0", "case 1"], ["case 2", "case 3"], ["case 4", "case 5"]]
    assert sorted(paths) == [PurePosixPath(f".test-shards/up.{number}.test.yaml") for number in range(3)]


def test_a_costly_test_runs_alone_and_first(make_project: ProjectFactory) -> None:
    _, _, names = planned(make_project(up=long_tests(5, heavy=2)))
    assert names[0] == ["case 2"]
    assert sorted(names[1:]) == [["case 0", "case 1"], ["case 3", "case 4"]]


def test_a_small_file_runs_whole_from_where_it_was_staged(make_project: ProjectFactory) -> None:
    _, paths, names = planned(make_project(up=long_tests(2)))
    assert (paths, names) == ([PurePosixPath("tests/up.test.yaml")], [["case 0", "case 1"]])


def test_a_shard_is_its_file_with_some_of_the_tests(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project(up=long_tests(6))
    project.build()
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "tests").mkdir()
    whole = yaml.safe_load(project.read("tests/up.test.yaml"))
    (staged / "tests" / "up.test.yaml").write_text(project.read("tests/up.test.yaml"))
    files = unit_tests.test_files(build_model(load_project(project.root)))
    shards = plan_shards(files, timedelta(minutes=1), 2)
    write_shards(shards, staged, fuzzy=False)
    for shard in shards:
        document = yaml.safe_load((staged / shard.path).read_text())
        assert document["rule_files"] == whole["rule_files"] == ["../prometheus/up.rules.yaml"]
        assert document["tests"] == whole["tests"][shard.first : shard.first + len(shard.tests)]


def test_moncc_test_maps_a_failure_in_a_shard_to_its_line_and_leaves_build_as_it_was(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    project = make_project(up=long_tests(6, failing=3))
    project.build()
    before = project.snapshot()
    report = tmp_path / "junit.xml"
    result = project.run("test", "--jobs", "2", "--junit", str(report))
    assert result.exit_code == 1
    assert [line.split("; ")[1].split(",")[0] for line in result.stdout.splitlines()[:2]] == ["3 runs", "3 runs"]
    [failure] = result.problems
    assert failure.startswith('rules_src/up.py:14: test "case 3" fails on prometheus-2, prometheus-3: alert Down at 3d')
    assert project.snapshot() == before
    assert project.leftovers() == []
    for suite in ElementTree.parse(report).getroot().findall("testsuite"):
        assert [case.get("name") for case in suite.findall("testcase")] == [f"Down: case {n}" for n in range(6)]
