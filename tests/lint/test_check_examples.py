"""Every check fires on its own bad example, at the marked lines, and stays silent on its good example."""

from __future__ import annotations

import pytest

from compiler.lint.check import LintCheck
from compiler.lint.registry import all_checks
from tests.conftest import ProjectFactory
from tests.lint.example_runner import check_example_lines, lint_example

CHECKS = all_checks()


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_bad_example_is_found_at_its_marked_lines(check: LintCheck, make_project: ProjectFactory) -> None:
    linted = lint_example(make_project(), check.bad)
    assert linted.lines_of(check.name) == check_example_lines(check), linted.findings
    assert all(f["path"] == linted.path for f in linted.findings if f["check"] == check.name)


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_good_example_is_clean(check: LintCheck, make_project: ProjectFactory) -> None:
    linted = lint_example(make_project(), check.good)
    assert linted.lines_of(check.name) == [], linted.findings


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_every_check_is_documented(check: LintCheck) -> None:
    assert check.documentation(), f"{check.name} has no docstring"
    assert check.documentation().splitlines()[0].endswith("."), f"{check.name}: first line should be a sentence"
