"""The kinds of lint check. A check is a class in its own module under `compiler/lint/checks/`: its docstring
is its documentation, `bad` and `good` are example source modules (the docs show them, the tests run them).

In `bad`, the line a finding must point at ends with a `# bad:` comment saying what is wrong there.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from compiler.dsl.rule_tests import RuleTest
from compiler.lint.findings import Severity
from compiler.lint.positions import text_line
from compiler.lint.subjects import LintContext, LintedPanel, LintedRouting, LintedRule, Query
from compiler.problems import SourceLocation


@dataclass(frozen=True)
class Report:
    """What a check says about its subject; the engine adds the check's name, its severity and the subject."""

    message: str
    location: SourceLocation


class LintCheck:
    name: ClassVar[str]
    """Stable, `area/what-is-wrong`; users write it in `lint_ignore` and `[tool.moncc.lint] disable`."""
    severity: ClassVar[Severity]
    bad: ClassVar[str]
    good: ClassVar[str]

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class QueryCheck(LintCheck):
    """Looks at every PromQL query: each rule's `expr` and each dashboard panel's queries."""

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError


class AlertCheck(LintCheck):
    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError


class RecordCheck(LintCheck):
    def check(self, record: LintedRule, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError


class RuleSetCheck(LintCheck):
    """Looks at all rules at once, for problems between rules; yields each report with the rule it is about."""

    def check(self, rules: Sequence[LintedRule], context: LintContext) -> Iterator[tuple[LintedRule, Report]]:
        raise NotImplementedError


class RuleTestCheck(RuleSetCheck):
    """Looks at each rule test once: a rule's tests with that rule, a group's tests with the group's first rule
    (whose finding names the group). The engine runs it as a `RuleSetCheck`."""

    def check(self, rules: Sequence[LintedRule], context: LintContext) -> Iterator[tuple[LintedRule, Report]]:
        groups_seen: set[int] = set()
        for rule in rules:
            tests, group = rule.rule.tests, rule.group
            if not tests and not group.tests:
                continue
            owned = [(test, "") for test in tests]
            if group.tests and id(group) not in groups_seen:
                groups_seen.add(id(group))
                owned += [(test, f"group {group.name}: ") for test in group.tests]
            for test, owner in owned:
                for report in self.check_test(test, context):
                    yield rule, Report(f'{owner}test "{test.name}": {report.message}', report.location)

    def check_test(self, test: RuleTest, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError

    @staticmethod
    def at(test: RuleTest, *texts: str) -> SourceLocation:
        """The line of the test's call holding the first of `texts` found (a series' selector, a label), else
        the test's own line: series built by a helper elsewhere are shown at the test that uses them."""
        for text in texts:
            found = text_line(test.location, text)
            if found != test.location:
                return found
        return test.location


class PanelCheck(LintCheck):
    def check(self, panel: LintedPanel, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError


class RoutingCheck(LintCheck):
    """Looks at the Alertmanager configuration, with every alert moncc routes through it; a project without
    one has nothing to look at."""

    def check(self, routing: LintedRouting, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError
