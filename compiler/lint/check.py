"""The kinds of lint check. A check is a class in its own module under `compiler/lint/checks/`: its docstring
is its documentation, `bad` and `good` are example source modules (the docs show them, the tests run them).

In `bad`, the line a finding must point at ends with a `# bad:` comment saying what is wrong there.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from compiler.lint.findings import Severity
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


class PanelCheck(LintCheck):
    def check(self, panel: LintedPanel, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError


class RoutingCheck(LintCheck):
    """Looks at the Alertmanager configuration, with every alert moncc routes through it; a project without
    one has nothing to look at."""

    def check(self, routing: LintedRouting, context: LintContext) -> Iterator[Report]:
        raise NotImplementedError
