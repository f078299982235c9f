"""Checks on every dashboard query: it parses as PromQL, its variables exist, the recording rules it reads are
recorded by this build; and no two dashboards share a uid. One problem per finding, at the dashboard's line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import promql_parser

from compiler.dsl.syntax import parse_expr
from compiler.problems import Problem, SourceLocation

GRAFANA_BUILTINS = frozenset(
    [
        "__interval",
        "__interval_ms",
        "__rate_interval",
        "__rate_interval_ms",
        "__range",
        "__range_s",
        "__range_ms",
        "__from",
        "__to",
        "__dashboard",
        "__name",
        "__org",
        "__user",
        "__timezone",
        "__all_variables",
        "__url_time_range",
        "__timeFilter",
        "timeFilter",
        "__auto_interval",
        "__data",
        "__field",
        "__series",
        "__value",
    ]
)
"""Variables Grafana defines itself (global variables); a query may use them without declaring them."""

VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)(?:[.:][^}]*)?\}|\[\[(\w+)(?:[.:][^\]]*)?\]\]")
STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_STAND_IN_DURATION = "5m"


def variables_used(text: str) -> list[str]:
    """The variable names a text refers to, in order: `$job`, `${job}`, `${job:regex}`, `[[job]]`."""
    return [next(group for group in match.groups() if group) for match in VARIABLE.finditer(text)]


def stand_in(expr: str, as_scalar: bool = False) -> str:
    """The query with each variable replaced by something PromQL accepts where it stands: inside a string
    it stays, inside `[...]` it becomes a duration, elsewhere a label/metric name (or a number)."""
    pieces: list[str] = []
    position = 0
    for string in STRING_LITERAL.finditer(expr):
        pieces.append(_replace_outside_strings(expr[position : string.start()], as_scalar))
        pieces.append(string.group())
        position = string.end()
    pieces.append(_replace_outside_strings(expr[position:], as_scalar))
    return "".join(pieces)


def _replace_outside_strings(text: str, as_scalar: bool) -> str:
    result: list[str] = []
    depth = 0
    position = 0
    for match in VARIABLE.finditer(text):
        segment = text[position : match.start()]
        depth += segment.count("[") - segment.count("]")
        result.append(segment)
        name = next(group for group in match.groups() if group)
        result.append(_STAND_IN_DURATION if depth > 0 else ("1" if as_scalar else f"var_{name}"))
        position = match.end()
    result.append(text[position:])
    return "".join(result)


def parse_query(expr: str) -> promql_parser.Expr:
    """Parse a dashboard query with its variables stood in for; raise ValueError naming what is wrong."""
    try:
        return parse_expr(stand_in(expr))
    except ValueError as first:
        try:
            return parse_expr(stand_in(expr, as_scalar=True))
        except ValueError:
            raise first from None


def recording_rules_read(ast: promql_parser.Expr) -> list[str]:
    """Metric names containing `:` (recording rules by convention) that a query selects."""
    names: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            candidates = [node.name] if node.name else []
            candidates += [
                matcher.value
                for matcher in node.matchers.matchers
                if matcher.name == "__name__" and matcher.op == promql_parser.MatchOp.Equal
            ]
            names.extend(name for name in candidates if name and ":" in name and not name.startswith("var_"))

    promql_parser.walk(ast, visit)
    return names


@lru_cache(maxsize=8192)
def _query_findings(expr: str) -> str | tuple[str, ...]:
    """The parse error of a query, or the recording rules it reads. Cached: dashboards built from one template
    repeat their queries, and parsing is most of the check's cost."""
    try:
        ast = parse_query(expr)
    except ValueError as error:
        return str(error)
    return tuple(dict.fromkeys(recording_rules_read(ast))) if ":" in expr else ()


def check_dashboard_queries(
    document: dict[str, Any], location: SourceLocation, recorded_names: set[str], datasource_type: str = "prometheus"
) -> list[Problem]:
    """Every Prometheus target of every panel: PromQL, variables, recording rules. Targets of another datasource
    type (a Loki query on a logs panel, say) are not PromQL and are left alone."""
    title = document.get("title", "")
    defined = {variable.get("name") for variable in document.get("templating", {}).get("list", [])}
    problems: list[Problem] = []

    def report(subject: str, message: str) -> None:
        problems.append(Problem(f"dashboard {title!r}: {subject}: {message}", location))

    for variable in document.get("templating", {}).get("list", []):
        query = variable.get("query")
        text = query.get("query", "") if isinstance(query, dict) else query
        for name in variables_used(str(text or "")):
            if name not in defined and name not in GRAFANA_BUILTINS:
                report(f"variable {variable.get('name')!r}", f"query uses ${name}, which no variable defines")

    for panel, target in panel_targets(document.get("panels", [])):
        subject = f"panel {panel.get('title') or '(untitled)'!r} target {target.get('refId')}"
        expr = target.get("expr")
        if not isinstance(expr, str):
            continue
        datasource = target.get("datasource") or {}
        if datasource.get("type", datasource_type) != datasource_type:
            continue
        for name in dict.fromkeys(variables_used(expr) + variables_used(str(datasource.get("uid", "")))):
            if name not in defined and name not in GRAFANA_BUILTINS:
                report(subject, f"uses ${name}, which no dashboard variable defines; add it to templating")
        findings = _query_findings(expr)
        if isinstance(findings, str):
            report(subject, f"expr: {findings}")
            continue
        for name in findings:
            if name not in recorded_names:
                report(subject, f"reads recording rule {name}, which no rule of this build records")
    return problems


def check_unique_uids(dashboards: list[tuple[str, str, SourceLocation]]) -> list[Problem]:
    """(uid, title, location) of every dashboard: a uid used twice is a problem at the second one."""
    first: dict[str, tuple[str, SourceLocation]] = {}
    problems: list[Problem] = []
    for uid, title, location in dashboards:
        if uid in first:
            other_title, other = first[uid]
            problems.append(
                Problem(f"dashboard {title!r}: uid {uid!r} is also the uid of {other_title!r} ({other})", location)
            )
        else:
            first[uid] = (title, location)
    return problems


def panel_targets(panels: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for panel in panels:
        for target in panel.get("targets", []):
            if isinstance(target, dict):
                yield panel, target
        yield from panel_targets(panel.get("panels", []))
