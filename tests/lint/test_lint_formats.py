"""`moncc lint` for CI and pre-commit: SARIF for GitHub code scanning, JUnit, and `moncc lint FILE...`."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import yaml
from jsonschema import Draft7Validator

from compiler.lint.registry import all_checks
from compiler.lint.sarif import documentation_anchor
from tests.conftest import REPO_ROOT, ProjectFactory

SARIF_SCHEMA = REPO_ROOT.parent / "shared" / "reference" / "sarif" / "sarif-schema-2.1.0.json"

NO_FOR = """\
from compiler.dsl import Alert, RuleGroup

group = RuleGroup("api", [
    Alert(
        "ApiDown",
        expr="up{job='api'} == 0",
        severity="critical",
        summary="API down",
        description="The API target {{ $labels.instance }} is down.",
        runbook_url="https://runbooks.example.com/ApiDown",
    ),
])
"""
MESSAGE = "alert ApiDown: no for_: one bad evaluation fires it; wait a few evaluation intervals"
RECORD = """\
from compiler.dsl import Record, RuleGroup

group = RuleGroup("{name}", [Record("job:up:sum", expr="sum by (job) (up)")])
"""


def _sarif(stdout: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=str)
    assert errors == [], errors[0].message
    return document


def test_sarif_is_valid_and_points_at_the_line(make_project: ProjectFactory) -> None:
    project = make_project(api=NO_FOR)
    result = project.run("lint", "--format", "sarif")
    assert result.exit_code == 1
    run = _sarif(result.stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [check.name for check in all_checks()]
    assert run["results"] == [
        {
            "ruleId": "alert/for-missing",
            "ruleIndex": [rule["id"] for rule in rules].index("alert/for-missing"),
            "level": "warning",
            "message": {"text": MESSAGE},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "rules_src/api.py", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 4},
                    }
                }
            ],
        }
    ]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.root.resolve().as_uri() + "/"}}


def test_sarif_rules_carry_the_check_documentation(make_project: ProjectFactory) -> None:
    rules = _sarif(make_project().run("lint", "--format", "sarif").stdout)["runs"][0]["tool"]["driver"]["rules"]
    rule = next(rule for rule in rules if rule["id"] == "alert/severity")
    assert rule["shortDescription"]["text"].startswith("An alert without a `severity` label")
    assert rule["fullDescription"]["text"].startswith(rule["shortDescription"]["text"])
    assert rule["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert {rule["defaultConfiguration"]["level"] for rule in rules} == {"error", "warning", "note"}


def test_sarif_anchors_are_the_headings_of_docs_lint_md() -> None:
    headings = {line.removeprefix("## ") for line in (REPO_ROOT / "docs" / "lint.md").read_text().splitlines()}
    for check in all_checks():
        assert check.name in headings
        assert documentation_anchor(check.name) == check.name.replace("/", "")


def test_sarif_marks_disabled_checks(make_project: ProjectFactory) -> None:
    pyproject = '[tool.moncc.lint]\ndisable = { "alert/for-missing" = "we page at once" }\n'
    result = make_project(api=NO_FOR, pyproject=pyproject).run("lint", "--format", "sarif")
    assert result.exit_code == 0
    run = _sarif(result.stdout)["runs"][0]
    rule = next(rule for rule in run["tool"]["driver"]["rules"] if rule["id"] == "alert/for-missing")
    assert rule["defaultConfiguration"]["enabled"] is False
    assert run["results"] == []


def test_junit_has_one_testcase_per_check(make_project: ProjectFactory) -> None:
    pyproject = '[tool.moncc.lint]\ndisable = { "alert/name-camel-case" = "legacy names" }\n'
    result = make_project(api=NO_FOR, pyproject=pyproject).run("lint", "--format", "junit")
    assert result.exit_code == 1
    suite = ElementTree.fromstring(result.stdout)
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [check.name for check in all_checks()]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == (str(len(cases)), "1", "1")
    failure = cases["alert/for-missing"].find("failure")
    assert failure is not None
    assert failure.get("message") == "1 warning finding(s)"
    assert failure.text == f"rules_src/api.py:4: warning alert/for-missing: {MESSAGE}\n"
    skipped = cases["alert/name-camel-case"].find("skipped")
    assert skipped is not None and skipped.get("message") == "disabled: legacy names"
    assert list(cases["alert/severity"]) == []


def test_junit_findings_below_the_threshold_pass(make_project: ProjectFactory) -> None:
    result = make_project(api=NO_FOR).run("lint", "--format", "junit", "--severity", "error")
    assert result.exit_code == 0
    case = next(
        case
        for case in ElementTree.fromstring(result.stdout).iter("testcase")
        if case.get("name") == "alert/for-missing"
    )
    assert case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and out.text == f"rules_src/api.py:4: warning alert/for-missing: {MESSAGE}\n"


def test_files_report_only_their_findings(make_project: ProjectFactory) -> None:
    project = make_project(api=NO_FOR, other=NO_FOR.replace("ApiDown", "OtherDown").replace('"api"', '"other"'))
    everything = project.run("lint")
    assert [line.split(":")[0] for line in everything.stdout.splitlines()] == ["rules_src/api.py", "rules_src/other.py"]
    result = project.run("lint", "rules_src/other.py")
    assert (
        result.stdout == f"rules_src/other.py:4: warning alert/for-missing: {MESSAGE.replace('ApiDown', 'OtherDown')}\n"
    )
    assert result.exit_code == 1
    assert project.run("lint", "rules_src").stdout == everything.stdout


def test_files_still_see_the_whole_project(make_project: ProjectFactory) -> None:
    """Two modules record one series: the check sees both even when one file is given."""
    project = make_project(first=RECORD.format(name="first"), second=RECORD.format(name="second"))
    everything = project.run("lint").stdout.splitlines()
    duplicate = [line for line in everything if "record/duplicate-series" in line]
    assert duplicate
    given = project.run("lint", "rules_src/second.py").stdout.splitlines()
    assert given == [line for line in everything if line.startswith("rules_src/second.py:")]
    assert any("record/duplicate-series" in line for line in given)


def test_a_file_outside_the_source_folders_is_one_line(make_project: ProjectFactory) -> None:
    project = make_project(api=NO_FOR)
    (project.root / "setup.py").write_text("", encoding="utf-8")
    result = project.run("lint", "setup.py")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.problems == [
        "setup.py: not in rules_src/ or dashboards_src/: moncc lint reports on source modules only"
    ]


def test_pre_commit_hook_passes_the_changed_source_modules() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())}
    lint = hooks["moncc-lint"]
    assert lint["pass_filenames"] is True
    assert re.search(lint["files"], "rules_src/team/api.py")
    assert re.search(lint["files"], "dashboards_src/api.py")
    assert not re.search(lint["files"], "pyproject.toml")
    assert not re.search(lint["files"], "compiler/cli.py")
