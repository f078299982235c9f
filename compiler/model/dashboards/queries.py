"""Checks on every dashboard query: it parses as PromQL, its variables exist, the recording rules it reads are
recorded by this build or declared; and no two dashboards share a uid. One problem per finding, at the line of
the panel's call where the module titles it once, else the dashboard's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import promql_parser

from compiler.problems import Problem, SourceLocation
from compiler.promql.grafana_variables import VARIABLE_STAND_IN, parse_query, variables_used
from compiler.promql.selectors import metric_names, selectors

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


def recording_rules_read(ast: promql_parser.Expr) -> list[str]:
    """Metric names containing `:` (recording rules by convention) that a query selects."""
    return [
        name
        for selector in selectors(ast)
        for name in metric_names(selector)
        if ":" in name and not name.startswith(VARIABLE_STAND_IN)
    ]


@lru_cache(maxsize=8192)
def _query_findings(expr: str) -> str | tuple[str, ...]:
    """The parse error of a query, or the recording rules it reads. Cached: dashboards built from one template
    repeat their queries, and parsing is most of the check's cost."""
    try:
        ast = parse_query(expr)
    except ValueError as error:
        return str(error)
    return tuple(dict.fromkeys(recording_rules_read(ast))) if ":" in expr else ()


@lru_cache(maxsize=8192)
def _target_variables(expr: str, datasource_uid: str) -> tuple[str, ...]:
    """The variables a target's query and datasource use, each once. Cached: every target of a dashboard has
    the same datasource uid, and dashboards built from one template repeat their queries."""
    return tuple(dict.fromkeys(variables_used(expr) + variables_used(datasource_uid)))


def check_dashboard_queries(
    document: dict[str, Any],
    locate: Callable[[str | None], SourceLocation],
    recorded_names: frozenset[str],
    datasource_type: str = "prometheus",
) -> list[Problem]:
    """Every Prometheus target of every panel: PromQL, variables, recording rules. Targets of another datasource
    type (a Loki query on a logs panel, say) are not PromQL and are left alone."""
    title = document.get("title", "")
    defined = {variable.get("name") for variable in document.get("templating", {}).get("list", [])}
    problems: list[Problem] = []

    def report(subject: str, message: str, panel_title: str | None = None) -> None:
        problems.append(Problem(f"dashboard {title!r}: {subject}: {message}", locate(panel_title)))

    for variable in document.get("templating", {}).get("list", []):
        query = variable.get("query")
        text = query.get("query", "") if isinstance(query, dict) else query
        for name in variables_used(str(text or "")):
            if name not in defined and name not in GRAFANA_BUILTINS:
                report(f"variable {variable.get('name')!r}", f"query uses ${name}, which no variable defines")

    for panel, target in panel_targets(document.get("panels", [])):
        panel_title = panel.get("title") if isinstance(panel.get("title"), str) else None
        subject = f"panel {panel_title or '(untitled)'!r} target {target.get('refId')}"
        expr = target.get("expr")
        datasource = target.get("datasource") or {}
        if datasource.get("type", datasource_type) != datasource_type:
            continue
        if expr is None:
            continue
        if not isinstance(expr, str):
            continue  # Grafana's model refuses it, at the same panel
        for name in _target_variables(expr, str(datasource.get("uid", ""))):
            if name not in defined and name not in GRAFANA_BUILTINS:
                report(subject, f"uses ${name}, which no dashboard variable defines; add it to templating", panel_title)
        findings = _query_findings(expr)
        if isinstance(findings, str):
            report(subject, f"expr: {findings}", panel_title)
            continue
        for name in findings:
            if name not in recorded_names:
                report(
                    subject,
                    f"reads recording rule {name}, which no rule of this build records; if another Prometheus "
                    f"records it, list it in the module's external_records",
                    panel_title,
                )
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
