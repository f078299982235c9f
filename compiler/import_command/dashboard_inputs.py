"""An exported dashboard's datasource placeholders turned into the project's datasource variable.

Dashboards shared on grafana.com or in repositories name their datasource by an input (`__inputs`,
`${DS_PROMETHEUS}`), by a variable of their own (`ds_prometheus`) or by a fixed uid of the exporter's Grafana. A
moncc project provisions its own datasources and gives every dashboard one datasource variable
(`[tool.moncc.grafana] datasource_variable`), so each of those becomes `${datasource}`, one choice line each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from compiler.promql.grafana_variables import VARIABLE_STAND_IN, parse_query
from compiler.promql.selectors import metric_names, selectors
from compiler.settings.grafana import GrafanaSettings

_EXPORT_ONLY = ("__inputs", "__requires", "__elements")
"""What Grafana's "export for sharing" adds for its import dialog; no dashboard reads them."""


@dataclass(frozen=True)
class PreparedDashboard:
    """The dashboard as the project will hold it, and the choices made to get there."""

    document: dict[str, Any]
    choices: list[str]


def with_project_datasource(document: dict[str, Any], settings: GrafanaSettings) -> PreparedDashboard:
    """`document` with every datasource of the project's type read through the project's datasource variable."""
    variable = settings.datasource_variable
    choices: list[str] = []
    dropped = [key for key in _EXPORT_ONLY if key in document]
    if dropped:
        choices.append(f"dropped {', '.join(dropped)}: what Grafana's export adds for its import dialog")
    names = _datasource_names(document, settings.datasource_type) - {variable}
    placeholders = re.compile(
        "|".join(
            rf"\$\{{{re.escape(name)}(?::\w+)?\}}|\${re.escape(name)}\b|\[\[{re.escape(name)}\]\]" for name in names
        )
    )
    for name in sorted(names):
        choices.append(f"datasource ${{{name}}} is the project's datasource variable ${{{variable}}}")
    fixed: set[str] = set()
    prepared = {key: value for key, value in document.items() if key not in _EXPORT_ONLY}
    prepared = _replaced(prepared, placeholders if names else None, f"${{{variable}}}")
    prepared["templating"] = _one_datasource_variable(prepared.get("templating"), settings, choices)
    prepared = _fixed_uids_replaced(prepared, settings.datasource_type, f"${{{variable}}}", fixed)
    choices.extend(
        f"datasource uid {uid!r} of type {settings.datasource_type} is the project's ${{{variable}}}"
        for uid in sorted(fixed)
    )
    if prepared["templating"] is None:
        del prepared["templating"]
    return PreparedDashboard(prepared, choices)


def _datasource_names(document: dict[str, Any], datasource_type: str) -> set[str]:
    """The inputs and variables that name a datasource of the project's type."""
    names = {
        item["name"]
        for item in document.get("__inputs") or []
        if isinstance(item, dict) and item.get("type") == "datasource" and item.get("pluginId") == datasource_type
    }
    names |= {item["name"] for item in _datasource_variables(document.get("templating"), datasource_type)}
    return {name for name in names if isinstance(name, str) and name}


def _datasource_variables(templating: Any, datasource_type: str) -> list[dict[str, Any]]:
    items = templating.get("list") if isinstance(templating, dict) else None
    return [
        item
        for item in items or []
        if isinstance(item, dict) and item.get("type") == "datasource" and item.get("query") == datasource_type
    ]


def _one_datasource_variable(templating: Any, settings: GrafanaSettings, choices: list[str]) -> Any:
    """The first datasource variable of the project's type renamed to the project's; any further one dropped."""
    variables = _datasource_variables(templating, settings.datasource_type)
    if not variables:
        return templating
    first, *rest = variables
    if first.get("name") != settings.datasource_variable:
        first["name"] = settings.datasource_variable
    for item in rest:
        choices.append(
            f"dropped the variable {item.get('name')!r}: the project has one {settings.datasource_type} variable"
        )
    kept = [item for item in templating["list"] if not any(item is other for other in rest)]
    return {**templating, "list": kept}


def _replaced(value: Any, placeholders: re.Pattern[str] | None, replacement: str) -> Any:
    """`value` with every placeholder in every string replaced (keys too: a variable may be keyed by name)."""
    if placeholders is None:
        return value
    if isinstance(value, str):
        return placeholders.sub(lambda _: replacement, value)
    if isinstance(value, dict):
        return {
            _replaced(key, placeholders, replacement): _replaced(item, placeholders, replacement)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_replaced(item, placeholders, replacement) for item in value]
    return value


def _fixed_uids_replaced(value: Any, datasource_type: str, replacement: str, fixed: set[str]) -> Any:
    """Datasource references of the project's type by a fixed uid, pointed at the variable instead."""
    if isinstance(value, dict):
        reference = value.get("datasource")
        if (
            isinstance(reference, dict)
            and reference.get("type") == datasource_type
            and isinstance(reference.get("uid"), str)
            and "$" not in reference["uid"]
        ):
            fixed.add(reference["uid"])
            value = {**value, "datasource": {**reference, "uid": replacement}}
        return {key: _fixed_uids_replaced(item, datasource_type, replacement, fixed) for key, item in value.items()}
    if isinstance(value, list):
        return [_fixed_uids_replaced(item, datasource_type, replacement, fixed) for item in value]
    return value


def recorded_series_read(document: dict[str, Any]) -> list[str]:
    """The recorded series (names with `:`) the dashboard's panels query, sorted: what the build checks against
    the project's recording rules. Queries that do not parse are left to the build to report."""
    names: set[str] = set()
    for expr in _panel_exprs(document.get("panels") or []):
        if ":" not in expr:
            continue
        try:
            query = parse_query(expr)
        except ValueError:
            continue
        names.update(
            name
            for selector in selectors(query)
            for name in metric_names(selector)
            if ":" in name and not name.startswith(VARIABLE_STAND_IN)
        )
    return sorted(names)


def _panel_exprs(panels: list[Any]) -> Iterator[str]:
    for panel in panels:
        if not isinstance(panel, dict):
            continue
        for target in panel.get("targets") or []:
            if isinstance(target, dict) and isinstance(target.get("expr"), str):
                yield target["expr"]
        yield from _panel_exprs(panel.get("panels") or [])
