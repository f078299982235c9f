"""Run every enabled check over a project's sources: load → subjects → checks → findings, minus what is ignored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from compiler.dsl.durations import parse_duration
from compiler.dsl.rules import Record
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
from compiler.load.metrics import RecordedSeries
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
    records = (
        RecordedSeries(rule.rule.name, rule.query.ast, rule.rule.labels, rule.location)
        for rule in rules
        if isinstance(rule.rule, Record)
    )
    catalogue = model.catalogue.with_rules(records, project.settings.lint.target_labels)
    context = LintContext(project.settings.lint, catalogue, parse_duration(project.settings.evaluation_interval))
    enabled = [check for check in all_checks() if check.name not in project.settings.lint.disable]
    found = {finding for check in enabled for finding in _run(check, subjects, context)}
    return sorted(found, key=_order)


def _order(finding: Finding) -> tuple[object, ...]:
    """Findings' own order (by file, line, check, severity, message), with the file's parts compared as `Path`
    compares them, without building a `Path` comparison per pair."""
    return (finding.location.path.parts, finding.location.line, finding.check, finding.severity, finding.message)


def _run(check: LintCheck, subjects: Subjects, context: LintContext) -> Iterator[Finding]:
    """One check over the subjects it looks at, minus the subjects whose author turned it off (the loops are
    written out: they run once per check and subject, tens of thousands of times in a large repository)."""
    name = check.name

    def finding(owner: str, report: Report) -> Finding:
        return Finding(report.location, name, check.severity, f"{owner}: {report.message}")

    if isinstance(check, QueryCheck):
        for query in subjects.queries:
            if name not in query.ignored:
                for report in check.check(query, context):
                    yield finding(query.owner, report)
    elif isinstance(check, AlertCheck | RecordCheck):
        kind = "alert" if isinstance(check, AlertCheck) else "record"
        for rule in subjects.rules:
            if rule.rule.kind == kind and name not in rule.query.ignored:
                for report in check.check(rule, context):
                    yield finding(rule.query.owner, report)
    elif isinstance(check, RuleSetCheck):
        for rule, report in check.check(subjects.rules, context):
            if name not in rule.query.ignored:
                yield finding(rule.query.owner, report)
    elif isinstance(check, PanelCheck):
        for panel in subjects.panels:
            if name not in panel.ignored:
                for report in check.check(panel, context):
                    yield finding(panel.owner, report)
    elif isinstance(check, RoutingCheck) and subjects.routing is not None:
        for report in check.check(subjects.routing, context):
            yield finding(subjects.routing.owner, report)


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
