"""A dashboard's variables and links: grafanalib `Template`s and `DashboardLink`s where those build to the
same JSON, plain dicts (which grafanalib writes as they are) where they cannot, e.g. a variable's `definition`
or a `current` whose text differs from its value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grafanalib.core import DashboardLink, Template

from compiler.import_command.dashboard_calls import Call, instantiate
from compiler.import_command.dashboard_emitted import as_json, emitted_variable
from compiler.import_command.dashboard_fields import accepted
from compiler.import_command.dashboard_targets import datasource_kwarg
from compiler.model.dashboards.plain_data import grafanalib_json
from compiler.settings.grafana import GrafanaSettings

_TEMPLATE_FIELDS = {
    "name": "name",
    "label": "label",
    "type": "type",
    "query": "query",
    "datasource": "dataSource",
    "regex": "regex",
    "refresh": "refresh",
    "sort": "sort",
    "hide": "hide",
    "multi": "multi",
    "includeAll": "includeAll",
    "allValue": "allValue",
    "options": "options",
    "auto": "auto",
    "auto_count": "autoCount",
    "auto_min": "autoMin",
}
"""Variable JSON key → `Template` keyword, in the order the call is written."""
_LINK_FIELDS = {
    "title": "title",
    "type": "type",
    "url": "uri",
    "tags": "tags",
    "asDropdown": "asDropdown",
    "icon": "icon",
    "tooltip": "tooltip",
    "includeVars": "includeVars",
    "keepTime": "keepTime",
    "targetBlank": "targetBlank",
}
_TEMPLATE_DEFAULTS = grafanalib_json(Template(name="", query=""))
_LINK_DEFAULTS = grafanalib_json(DashboardLink())


def variable_call(variable: Any, settings: GrafanaSettings) -> Any:
    """`Template(...)` when it builds to what the variable builds to, else the variable's JSON."""
    if not isinstance(variable, dict):
        return variable
    kwargs = _kwargs(Template, variable, _TEMPLATE_FIELDS, _TEMPLATE_DEFAULTS, required=("name", "query"))
    if "dataSource" in kwargs:
        kwargs["dataSource"] = datasource_kwarg(kwargs["dataSource"], settings)
    current = variable.get("current")
    if isinstance(current, dict) and current.get("value") is not None and current.get("text") == current["value"]:
        kwargs["default"] = current["value"]
    return _exact_or_json(Call(Template, kwargs), variable, lambda value: emitted_variable(value, settings))


def link_call(link: Any) -> Any:
    """`DashboardLink(...)` when grafanalib writes exactly this link, else the link's JSON."""
    if not isinstance(link, dict):
        return link
    return _exact_or_json(
        Call(DashboardLink, _kwargs(DashboardLink, link, _LINK_FIELDS, _LINK_DEFAULTS)), link, as_json
    )


def _kwargs(
    cls: type, data: dict[str, Any], fields: dict[str, str], defaults: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        keyword: data.get(key, "")
        for key, keyword in fields.items()
        if keyword in required or (key in data and data[key] != defaults.get(key) and accepted(cls, keyword, data[key]))
    }


def _exact_or_json(call: Call, data: dict[str, Any], built: Callable[[Any], Any]) -> Any:
    try:
        candidate = instantiate(call)
    except (TypeError, ValueError):
        return dict(data)
    return call if built(candidate) == built(data) else dict(data)
