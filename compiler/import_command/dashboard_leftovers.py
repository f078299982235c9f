"""Query fields no Grafana reads, dropped from an imported dashboard and named in one choice line.

Generated dashboards carry leftovers in their queries (the Thanos mixin's jsonnet merged its y axis's `logBase`
into some Prometheus queries). Grafana keeps a query's unknown fields and never reads them, so they change
nothing shown; the typed model refuses them, as it refuses a typo a person makes. An import drops them instead,
and says which.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from compiler.grafana.objects import OpenObject, SupersededFieldsObject
from compiler.grafana.targets import DEFAULT_DATASOURCE_TYPE, QUERY_MODELS, QueryFields


def without_unread_query_fields(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`document` without the fields of its queries that their datasource's query model does not have (open
    models, which keep any field, lose nothing), and one choice line per datasource type naming what went."""
    dropped: dict[str, Counter[str]] = {}
    panels = [_panel_without(panel, dropped) for panel in document.get("panels") or []]
    choices = [
        f"queries: dropped {', '.join(f'{field} ({count}x)' for field, count in sorted(fields.items()))}: "
        f"not fields of a {kind} query; Grafana keeps them but never reads them"
        for kind, fields in sorted(dropped.items())
    ]
    return ({**document, "panels": panels} if dropped else document), choices


def _panel_without(panel: Any, dropped: dict[str, Counter[str]]) -> Any:
    if not isinstance(panel, dict):
        return panel
    changed = dict(panel)
    if isinstance(panel.get("targets"), list):
        changed["targets"] = [_target_without(target, _type_of(panel), dropped) for target in panel["targets"]]
    if isinstance(panel.get("panels"), list):
        changed["panels"] = [_panel_without(child, dropped) for child in panel["panels"]]
    return changed


def _target_without(target: Any, panel_type: str | None, dropped: dict[str, Counter[str]]) -> Any:
    if not isinstance(target, dict):
        return target
    kind = _type_of(target) or panel_type or DEFAULT_DATASOURCE_TYPE
    model = QUERY_MODELS.get(kind)
    if model is None or issubclass(model, OpenObject):
        return target
    known = set(_names(model))
    unread = [key for key in target if key not in known]
    if not unread:
        return target
    dropped.setdefault(kind, Counter()).update(unread)
    return {key: value for key, value in target.items() if key in known}


def _type_of(holder: dict[str, Any]) -> str | None:
    datasource = holder.get("datasource")
    kind = datasource.get("type") if isinstance(datasource, dict) else None
    return kind if isinstance(kind, str) else None


def _names(model: type[QueryFields]) -> Iterator[str]:
    """Every key the model reads: its fields by name and JSON name, and those it drops knowingly."""
    for name, info in model.model_fields.items():
        yield name
        if info.alias:
            yield info.alias
    if issubclass(model, SupersededFieldsObject):
        yield from model.IGNORED
