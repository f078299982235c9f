"""v1 `templating.list` → v2 `variables`: one kind per variable type, v1's numeric codes as v2's names.

Each v2 variable kind holds only the fields its type uses. A v1 field Grafana reads only for another type
(`sort` on a datasource variable, `regex` on a custom one), and the state Grafana's editor leaves behind
(`index`, `error`, `state`...), do nothing in v1 and are left out; any other field v2 cannot hold is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compiler.grafana.write_v2_kinds import (
    Lost,
    data_query,
    datasource_of,
    mapping,
    text_or_texts,
    variable_option,
)

HIDE = ("dontHide", "hideLabel", "hideVariable", "inControlsMenu")
REFRESH = ("never", "onDashboardLoad", "onTimeRangeChanged")
SORT = (
    "disabled",
    "alphabeticalAsc",
    "alphabeticalDesc",
    "numericalAsc",
    "numericalDesc",
    "alphabeticalCaseInsensitiveAsc",
    "alphabeticalCaseInsensitiveDesc",
    "naturalAsc",
    "naturalDesc",
)
"""v2's names for v1's `hide`, `refresh` and `sort` codes, in code order (v1 0 is the first)."""
LEGACY_STRING_VALUE_KEY = "__legacyStringValue"
"""Where v2 keeps a v1 query variable's query written as a plain string (Grafana's own conversion does so)."""

_COMMON = frozenset(["type", "name", "label", "description", "hide", "skipUrlSync"])
_EDITOR_STATE = frozenset(["id", "index", "error", "state", "global", "rootStateKey"])
_ANY_TYPE = frozenset(
    [
        "current",
        "options",
        "query",
        "datasource",
        "definition",
        "refresh",
        "regex",
        "regexApplyTo",
        "sort",
        "multi",
        "includeAll",
        "allValue",
        "allowCustomValue",
        "auto",
        "auto_min",
        "auto_count",
        "filters",
        "baseFilters",
        "defaultKeys",
        "defaultValue",
        "placeholder",
        "staticOptions",
        "staticOptionsOrder",
        "valuesFormat",
        "enableGroupBy",
    ]
)
"""Every field some v1 variable type reads; on a type that does not read it, it does nothing."""


def variables(dashboard: dict[str, Any], lost: Lost) -> list[dict[str, Any]]:
    """Every template variable of the dashboard, in order; one of a type not mapped here is reported instead."""
    templating = mapping(dashboard.get("templating"))
    result: list[dict[str, Any]] = []
    for variable in templating.get("list") or []:
        if not isinstance(variable, dict):
            continue
        where = f"variable {variable.get('name', '')!r}"
        kind_type = str(variable.get("type") or "query")
        if kind_type not in _KINDS:
            lost.add(where, f"type {kind_type!r} is not one moncc writes as a v2 variable kind")
            continue
        kind, build = _KINDS[kind_type]
        lost.extra_keys(where, variable, _COMMON | _EDITOR_STATE | _ANY_TYPE)
        result.append(_kind(kind, variable, _common(variable) | build(variable)))
    return result


def _kind(kind: str, variable: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """Ad hoc and group-by variables name their datasource on the kind, the way `DataQuery` does."""
    if kind not in ("AdhocVariable", "GroupByVariable"):
        return {"kind": kind, "spec": spec}
    datasource = datasource_of(variable.get("datasource"))
    result: dict[str, Any] = {"kind": kind, "group": datasource["type"], "spec": spec}
    if datasource["uid"]:
        result["datasource"] = {"name": datasource["uid"]}
    return result


def _common(variable: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": str(variable.get("name") or ""),
        "hide": _code(HIDE, variable.get("hide")),
        "skipUrlSync": variable.get("skipUrlSync") is True,
    }
    spec.update({key: str(variable[key]) for key in ("label", "description") if variable.get(key)})
    return spec


def _query(variable: dict[str, Any]) -> dict[str, Any]:
    query = variable.get("query")
    query_spec = dict(query) if isinstance(query, dict) else ({LEGACY_STRING_VALUE_KEY: query} if query else {})
    spec = _choice(variable) | {
        "query": data_query(datasource_of(variable.get("datasource")), query_spec),
        "refresh": _code(REFRESH, variable.get("refresh")),
        "regex": str(variable.get("regex") or ""),
        "sort": _code(SORT, variable.get("sort")),
    }
    optional = ("definition", "regexApplyTo", "placeholder", "staticOptionsOrder")
    spec.update({key: variable[key] for key in optional if variable.get(key)})
    if variable.get("staticOptions"):
        spec["staticOptions"] = [variable_option(option) for option in variable["staticOptions"]]
    return spec


def _datasource(variable: dict[str, Any]) -> dict[str, Any]:
    return _choice(variable) | {
        "pluginId": str(variable.get("query") or ""),
        "refresh": _code(REFRESH, variable.get("refresh")),
        "regex": str(variable.get("regex") or ""),
    }


def _custom(variable: dict[str, Any]) -> dict[str, Any]:
    spec = _choice(variable) | {"query": str(variable.get("query") or "")}
    if variable.get("valuesFormat") in ("csv", "json"):
        spec["valuesFormat"] = variable["valuesFormat"]
    return spec


def _constant(variable: dict[str, Any]) -> dict[str, Any]:
    query = str(variable.get("query") or "")
    return {"query": query, "current": _current(variable, default=query)}


def _text(variable: dict[str, Any]) -> dict[str, Any]:
    query = str(variable.get("query") or "")
    return {"query": query, "current": _current(variable, default=query)}


def _interval(variable: dict[str, Any]) -> dict[str, Any]:
    return {
        "query": str(variable.get("query") or ""),
        "current": _current(variable),
        "options": [variable_option(option) for option in variable.get("options") or []],
        "auto": variable.get("auto") is True,
        "auto_min": str(variable.get("auto_min") or ""),
        "auto_count": int(variable.get("auto_count") or 0),
        "refresh": "onTimeRangeChanged",
    }


def _adhoc(variable: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "baseFilters": list(variable.get("baseFilters") or []),
        "filters": list(variable.get("filters") or []),
        "defaultKeys": list(variable.get("defaultKeys") or []),
        "allowCustomValue": variable.get("allowCustomValue") is not False,
    }
    if variable.get("enableGroupBy") is True:
        spec["enableGroupBy"] = True
    return spec


def _group_by(variable: dict[str, Any]) -> dict[str, Any]:
    spec = _picked(variable)
    if isinstance(variable.get("defaultValue"), dict):
        spec["defaultValue"] = variable_option(variable["defaultValue"])
    return spec


def _picked(variable: dict[str, Any]) -> dict[str, Any]:
    """The current value, the options and whether several may be picked."""
    return {
        "current": _current(variable),
        "options": [variable_option(option) for option in variable.get("options") or []],
        "multi": variable.get("multi") is True,
    }


def _choice(variable: dict[str, Any]) -> dict[str, Any]:
    """What every variable a viewer picks values of holds: the current value, the options, multi and All."""
    spec: dict[str, Any] = {
        **_picked(variable),
        "includeAll": variable.get("includeAll") is True,
        "allowCustomValue": variable.get("allowCustomValue") is not False,
    }
    if variable.get("allValue"):
        spec["allValue"] = str(variable["allValue"])
    return spec


def _current(variable: dict[str, Any], default: str = "") -> dict[str, Any]:
    current = variable.get("current")
    if isinstance(current, dict) and ("text" in current or "value" in current):
        return {"text": text_or_texts(current.get("text")), "value": text_or_texts(current.get("value"))}
    return {"text": default, "value": default}


def _code(names: tuple[str, ...], value: Any) -> str:
    """v1's code (or already v2's name) → v2's name; anything else is v1's default, the first."""
    if isinstance(value, str) and value in names:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    return names[0]


_KINDS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "query": ("QueryVariable", _query),
    "datasource": ("DatasourceVariable", _datasource),
    "custom": ("CustomVariable", _custom),
    "constant": ("ConstantVariable", _constant),
    "textbox": ("TextVariable", _text),
    "interval": ("IntervalVariable", _interval),
    "adhoc": ("AdhocVariable", _adhoc),
    "groupby": ("GroupByVariable", _group_by),
}
"""v1 type → v2 kind and the builder of its own fields."""
