"""Run every enabled check over a project's sources: load → subjects → checks → findings, minus what is ignored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from compiler.dsl.durations import parse_duration
from compiler.lint.check import (
    AlertCheck,
    LintCheck,
    PanelCheck,
    QueryCheck,
    RecordCheck,
    Report,
    RoutingCheck,
    RuleSetCheck,
)
from compiler.lint.findings import Finding
from compiler.lint.registry import all_checks, check_names
from compiler.lint.subjects import LintContext, LintedPanel, LintedRouting, LintedRule, Query, linted_rule
from compiler.model.build import Model, build_model
from compiler.problems import CompileError, Problem, SourceLocation
from compiler.promql.grafana_variables import parse_query
from compiler.promql.parse import parse_expr
from compiler.settings.project import Project, line_of


@dataclass(frozen=True)
class Subjects:
    rules: tuple[LintedRule, ...]
    panels: tuple[LintedPanel, ...]
    queries: tuple[Query, ...]
    """Every rule's query and every Prometheus query of every panel."""
    routing: LintedRouting | None = None
    """The Alertmanager configuration, when the project has one."""


def lint_project(project: Project, debug: bool = False) -> list[Finding]:
    """Every finding of every enabled check, sorted by file and line, each once (an SLO's page and ticket
    alerts share a name and a line); raise `CompileError` when the sources
    do not load or name checks that do not exist."""
    model = build_model(project, debug)
    problems = [*model.problems, *_unknown_disabled(project)]
    rules = list(_rules(model))
    panels = [
        LintedPanel(panel, dashboard.title, dashboard.location, dashboard.module.lint_ignore)
        for dashboard in model.dashboards
        for panel in _panels(dashboard.document.get("panels", []))
    ]
    problems.extend(_unknown_ignored([rule.query for rule in rules], panels))
    if problems:
        raise CompileError(problems)

    queries = (*(rule.query for rule in rules), *_panel_queries(panels))
    routing = LintedRouting(model.routing) if model.routing is not None else None
    subjects = Subjects(tuple(rules), tuple(panels), queries, routing)
    context = LintContext(project.settings.lint, model.catalogue, parse_duration(project.settings.evaluation_interval))
    enabled = [check for check in all_checks() if check.name not in project.settings.lint.disable]
    return sorted({finding for check in enabled for finding in _run(check, subjects, context)})


def _run(check: LintCheck, subjects: Subjects, context: LintContext) -> Iterator[Finding]:
    """One check over the subjects it looks at, minus the subjects whose author turned it off."""

    def found(owner: str, ignored: Mapping[str, str], reports: Iterable[Report]) -> Iterator[Finding]:
        if check.name in ignored:
            return
        for report in reports:
            yield Finding(report.location, check.name, check.severity, f"{owner}: {report.message}")

    if isinstance(check, QueryCheck):
        for query in subjects.queries:
            yield from found(query.owner, query.ignored, check.check(query, context))
    elif isinstance(check, AlertCheck | RecordCheck):
        kind = "alert" if isinstance(check, AlertCheck) else "record"
        for rule in subjects.rules:
            if rule.rule.kind == kind:
                yield from found(rule.query.owner, rule.query.ignored, check.check(rule, context))
    elif isinstance(check, RuleSetCheck):
        for rule, report in check.check(subjects.rules, context):
            yield from found(rule.query.owner, rule.query.ignored, [report])
    elif isinstance(check, PanelCheck):
        for panel in subjects.panels:
            yield from found(panel.owner, panel.ignored, check.check(panel, context))
    elif isinstance(check, RoutingCheck) and subjects.routing is not None:
        yield from found(subjects.routing.owner, {}, check.check(subjects.routing, context))


def _rules(model: Model) -> Iterator[LintedRule]:
    """Every module's own rules, then those generated for its SLOs."""
    for module in model.rule_modules:
        for group in module.groups:
            for rule in group.rules:
                yield linted_rule(rule, group, parse_expr(rule.expr), model.slo_of(group))


def _panels(panels: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    """Every panel, rows' collapsed panels included."""
    for panel in panels:
        yield panel
        children = panel.get("panels")
        if isinstance(children, list):
            yield from _panels(children)


def _panel_queries(panels: Iterable[LintedPanel]) -> Iterator[Query]:
    """The Prometheus queries of every panel that parse (the build reports those that do not)."""
    for panel in panels:
        for target in panel.panel.get("targets", []):
            if not isinstance(target, dict):
                continue
            expr = target.get("expr")
            datasource = target.get("datasource") or {}
            if not isinstance(expr, str) or not expr.strip() or datasource.get("type", "prometheus") != "prometheus":
                continue
            try:
                ast = parse_query(expr)
            except ValueError:
                continue
            owner = f"{panel.owner} query {target.get('refId')}"
            yield Query(expr, ast, owner, panel.location, panel.ignored, in_dashboard=True)


def _unknown_disabled(project: Project) -> list[Problem]:
    known = check_names()
    path = project.root / "pyproject.toml"
    pyproject = SourceLocation(path, line_of(path, "[tool.moncc.lint]"))
    return [
        Problem(f"[tool.moncc.lint] disable: no check is named {name!r}", pyproject)
        for name in project.settings.lint.disable
        if name not in known
    ]


def _unknown_ignored(queries: Iterable[Query], panels: Iterable[LintedPanel]) -> list[Problem]:
    known = check_names()
    owners = [(query.owner, query.ignored, query.location) for query in queries]
    owners += [(panel.owner, panel.ignored, panel.dashboard_location) for panel in panels]
    reported: set[tuple[str, SourceLocation]] = set()
    problems = []
    for owner, ignored, location in owners:
        for name in ignored:
            if name not in known and (name, location) not in reported:
                reported.add((name, location))
                problems.append(Problem(f"{owner}: lint_ignore: no check is named {name!r}", location))
    return problems
