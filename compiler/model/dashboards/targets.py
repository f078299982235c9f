"""Datasource references and Prometheus targets as Grafana 11/12 stores them.

grafanalib writes a target's legacy fields (`target`, `metric`, `step`) and its own defaults next to the query
(also on a Loki query, which has no `format`); the defaults go, a legacy field the author changed is a problem,
and every target gets a `refId` and a `{type, uid}` datasource reference.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.targets import QUERY_MODELS
from compiler.model.dashboards.problems import PanelProblems

_TARGET_LEGACY: dict[str, Any] = {"target": "", "metric": "", "step": 10}
_GRAFANALIB_FORMAT = "time_series"
"""The `format` grafanalib writes on every target: a Prometheus query's field, which other query models lack."""
_TARGET_DEFAULTS: dict[str, Any] = {"intervalFactor": 2, "legendFormat": "", "interval": "", "hide": False}
_LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
_REF_IDS = (*_LETTERS, *(first + second for first in _LETTERS for second in _LETTERS))
"""A, B, ..., Z, AA, AB, ..., ZZ: the refIds Grafana gives new queries (built once, not for every panel)."""


def datasource_ref(value: Any, default: dict[str, str]) -> dict[str, str]:
    """A datasource as Grafana stores it: a `{type, uid}` reference; a plain string is taken as a uid."""
    if value is None:
        return dict(default)
    if isinstance(value, dict):
        return {str(key): str(item) for key, item in value.items() if item is not None}
    return {"type": default["type"], "uid": str(value)}


def modern_targets(
    targets: list[Any], datasource: dict[str, str], panel: dict[str, Any], problems: PanelProblems
) -> list[Any]:
    """The panel's targets without legacy fields and grafanalib defaults, each with a refId and a datasource."""
    used = {target.get("refId") for target in targets if isinstance(target, dict) and target.get("refId")}
    free = (ref_id for ref_id in _REF_IDS if ref_id not in used)
    result: list[Any] = []
    for raw in targets:
        if not isinstance(raw, dict):
            result.append(raw)
            continue
        target = {key: value for key, value in raw.items() if value is not None}
        for key, unset in _TARGET_LEGACY.items():
            value = target.pop(key, unset)
            if value != unset:
                problems.add(
                    panel,
                    f"target {target.get('refId') or target.get('expr')!r}: {key}={value!r} is not "
                    "part of Grafana's Prometheus query model; remove it (use interval= for the step)",
                )
        if target.get("query") == target.get("expr"):
            target.pop("query", None)
        for key, unset in _TARGET_DEFAULTS.items():
            if target.get(key, unset) == unset:
                target.pop(key, None)
        if "expr" in target:
            target.setdefault("editorMode", "code")
            target["range"] = not target.get("instant", False)
            target["instant"] = bool(target.get("instant", False))
        target["refId"] = target.get("refId") or next(free)
        target["datasource"] = datasource_ref(target.get("datasource"), datasource)
        query_model = QUERY_MODELS.get(target["datasource"].get("type", ""))
        if query_model and "format" not in query_model.model_fields and target.get("format") == _GRAFANALIB_FORMAT:
            target.pop("format")
        result.append(target)
    return result
