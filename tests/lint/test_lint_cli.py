"""`moncc lint` as users run it: the three output formats, the exit threshold, and turning checks off."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from compiler.lint.docs import render_docs
from compiler.lint.findings import Finding, Severity
from compiler.lint.report import github_annotation
from compiler.problems import SourceLocation
from tests.conftest import REPO_ROOT, ProjectFactory

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
FOUND = (
    "rules_src/api.py:4: warning alert/for-missing: alert ApiDown: no for_: one bad evaluation fires it; "
    "wait a few evaluation intervals"
)


def test_text_format_is_one_line_per_finding_and_warnings_fail_by_default(make_project: ProjectFactory) -> None:
    result = make_project(api=NO_FOR).run("lint")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [FOUND]
    assert result.stderr == "lint: 1 finding(s), 1 at or above warning\n"


def test_severity_threshold_sets_the_exit_status(make_project: ProjectFactory) -> None:
    project = make_project(api=NO_FOR)
    assert project.run("lint", "--severity", "error").exit_code == 0
    assert project.run("lint", "--severity", "info").exit_code == 1


def test_json_format(make_project: ProjectFactory) -> None:
    result = make_project(api=NO_FOR).run("lint", "--format", "json")
    assert json.loads(result.stdout) == {
        "findings": [
            {
                "check": "alert/for-missing",
                "line": 4,
                "message": "alert ApiDown: no for_: one bad evaluation fires it; wait a few evaluation intervals",
                "path": "rules_src/api.py",
                "severity": "warning",
            }
        ]
    }
    assert result.stderr == ""


def test_github_format_is_a_workflow_annotation(make_project: ProjectFactory) -> None:
    result = make_project(api=NO_FOR).run("lint", "--format", "github")
    assert result.stdout == (
        "::warning file=rules_src/api.py,line=4,title=alert/for-missing::alert ApiDown: no for_: one bad "
        "evaluation fires it; wait a few evaluation intervals\n"
    )


def test_github_format_escapes_what_would_end_the_command() -> None:
    finding = Finding(SourceLocation(Path("rules_src/a,b:c.py"), 7), "promql/x", Severity.INFO, "100% wrong\nreally")
    assert (
        github_annotation(finding)
        == "::notice file=rules_src/a%2Cb%3Ac.py,line=7,title=promql/x::100%25 wrong%0Areally"
    )


def test_lint_ignore_with_a_reason_silences_one_object(make_project: ProjectFactory) -> None:
    ignored = NO_FOR.replace(
        '"ApiDown",', '"ApiDown",\n        lint_ignore={"alert/for-missing": "the probe retries for 5m itself"},'
    )
    result = make_project(api=ignored).run("lint")
    assert (result.exit_code, result.stdout) == (0, "")


def test_lint_ignore_on_a_group_covers_its_rules(make_project: ProjectFactory) -> None:
    ignored = NO_FOR.replace('"api", [', '"api", lint_ignore={"alert/for-missing": "blackbox alerts"}, rules=[')
    result = make_project(api=ignored).run("lint")
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr


def test_lint_ignore_without_a_reason_is_one_line_at_the_rule(make_project: ProjectFactory) -> None:
    ignored = NO_FOR.replace('"ApiDown",', '"ApiDown",\n        lint_ignore=["alert/for-missing"],')
    result = make_project(api=ignored).run("lint")
    assert result.exit_code == 1
    assert result.problems == [
        "rules_src/api.py:4: alert ApiDown: lint_ignore: give each ignored check a reason: "
        "lint_ignore={'alert/for-missing': 'why'}"
    ]


def test_lint_ignore_of_an_unknown_check_is_a_problem(make_project: ProjectFactory) -> None:
    ignored = NO_FOR.replace('"ApiDown",', '"ApiDown",\n        lint_ignore={"alert/for-mising": "typo"},')
    result = make_project(api=ignored).run("lint")
    assert result.exit_code == 1
    assert result.problems == ["rules_src/api.py:4: alert ApiDown: lint_ignore: no check is named 'alert/for-mising'"]


def test_disable_in_pyproject_turns_a_check_off_for_the_repository(make_project: ProjectFactory) -> None:
    pyproject = '[tool.moncc.lint]\ndisable = { "alert/for-missing" = "blackbox probes retry themselves" }\n'
    result = make_project(api=NO_FOR, pyproject=pyproject).run("lint")
    assert (result.exit_code, result.stdout) == (0, "")


def test_disable_needs_a_reason_and_a_real_check(make_project: ProjectFactory) -> None:
    no_reason = make_project(api=NO_FOR, pyproject='[tool.moncc.lint]\ndisable = { "alert/for-missing" = "" }\n')
    assert no_reason.run("lint").problems == [
        "pyproject.toml:2: [tool.moncc] lint.disable.alert/for-missing: String should have at least 1 character"
    ]
    unknown = make_project(api=NO_FOR, pyproject='[tool.moncc.lint]\ndisable = { "alert/nope" = "why" }\n')
    assert unknown.run("lint").problems == [
        "pyproject.toml:1: [tool.moncc.lint] disable: no check is named 'alert/nope'"
    ]


def test_a_failing_source_module_is_one_line_not_a_traceback(make_project: ProjectFactory) -> None:
    result = make_project(api="from compiler.dsl import Alert\n\nAlert('X', expr='up ==')\n").run("lint")
    assert result.exit_code == 1 and result.crash is None
    assert len(result.problems) == 1 and result.problems[0].startswith(
        "rules_src/api.py:3: alert X: expr: invalid PromQL"
    )


def test_docs_page_is_generated_from_the_checks() -> None:
    committed = (REPO_ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert committed == render_docs(), "docs/lint.md is stale: run `python -m compiler.lint.docs docs/lint.md`"


def test_this_repository_lints_clean(make_project: ProjectFactory) -> None:
    result = make_project().run("--project", str(REPO_ROOT), "lint")
    assert result.exit_code == 0, result.stdout


def test_pre_commit_files_are_valid_for_pre_commit() -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(REPO_ROOT / name)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"]: hook["entry"] for hook in hooks} == {"moncc-lint": "moncc lint", "moncc-check": "moncc check"}
