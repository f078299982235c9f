"""One v1 panel → its v2 element: a `Panel` (queries, transformations, query options, visualization) or a
`LibraryPanel` reference.

v2 splits a v1 panel in two: what it shows lives in `spec.elements`, where it sits in `spec.layout`
(`write_v2_layout.py`). Repeat options also move to the layout. v2 panels have no datasource of their own:
each query names one, a target without its own taking the panel's, as v1 does when it runs it. Everything else a
v1 panel may hold has a place here, and any key without one is reported, not dropped.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.write_v2_kinds import Lost, data_query, datasource_of, mapping

PLACED_IN_LAYOUT = frozenset(["gridPos", "repeat", "repeatDirection", "maxPerRow"])
QUERY_OPTIONS: dict[str, type] = {
    "maxDataPoints": int,
    "interval": str,
    "timeFrom": str,
    "timeShift": str,
    "hideTimeOverride": bool,
    "timeCompare": str,
    "cacheTimeout": str,
    "queryCachingTTL": int,
}
"""v1 panel fields that v2 holds in `data.spec.queryOptions`, with the type v2 gives them."""
PANEL_KEYS = frozenset(
    [
        "type",
        "id",
        "title",
        "description",
        "transparent",
        "datasource",
        "targets",
        "links",
        "transformations",
        "options",
        "fieldConfig",
        "pluginVersion",
        "libraryPanel",
        *QUERY_OPTIONS,
        *PLACED_IN_LAYOUT,
    ]
)
FIELD_CONFIG_KEYS = frozenset(
    [
        "displayName",
        "displayNameFromDS",
        "description",
        "path",
        "writeable",
        "filterable",
        "unit",
        "decimals",
        "min",
        "max",
        "mappings",
        "thresholds",
        "color",
        "links",
        "actions",
        "noValue",
        "custom",
        "fieldMinMax",
        "nullValueMode",
    ]
)
"""What v2's `FieldConfig` holds (it allows nothing else)."""
_OVERRIDE_KEYS = frozenset(["matcher", "properties", "__systemRef"])
_TARGET_MOVED = frozenset(["datasource", "refId", "hide"])
_TRANSFORMATION_KEYS = frozenset(["id", "options", "disabled", "filter", "topic"])
_LINK_KEYS = frozenset(["title", "url", "targetBlank", "type", "icon", "tooltip", "tags", "asDropdown", "placement"])
"""A panel link is a data link (`title`, `url`, `targetBlank`); v1's schema types it as a dashboard link, whose
look-and-list fields (`type` to `placement`) Grafana never draws on a panel. `keepTime` and `includeVars` are
reported: an author who set them expects the link to carry the time range or variables."""


def panel_where(panel: dict[str, Any]) -> str:
    """How a problem names a panel: its title and id, as an author finds it."""
    return f"panel {panel.get('title', '')!r} (id {panel.get('id')})"


def panel_element(panel: dict[str, Any], panel_id: int, lost: Lost) -> dict[str, Any]:
    """The element of one non-row panel, numbered `panel_id`."""
    where = panel_where(panel)
    title = str(panel.get("title") or "")
    library = panel.get("libraryPanel")
    if isinstance(library, dict):
        reference = {"name": str(library.get("name") or ""), "uid": str(library.get("uid") or "")}
        return {"kind": "LibraryPanel", "spec": {"id": panel_id, "title": title, "libraryPanel": reference}}
    lost.extra_keys(where, panel, PANEL_KEYS)
    spec: dict[str, Any] = {
        "id": panel_id,
        "title": title,
        "description": str(panel.get("description") or ""),
        "links": [_data_link(link, where, lost) for link in panel.get("links") or []],
        "data": {
            "kind": "QueryGroup",
            "spec": {
                "queries": _queries(panel, where, lost),
                "transformations": [_transformation(each, where, lost) for each in panel.get("transformations") or []],
                "queryOptions": _query_options(panel, where, lost),
            },
        },
        "vizConfig": {
            "kind": "VizConfig",
            "group": str(panel.get("type") or ""),
            "version": str(panel.get("pluginVersion") or ""),
            "spec": {"options": panel.get("options") or {}, "fieldConfig": _field_config(panel, where, lost)},
        },
    }
    if panel.get("transparent") is True:
        spec["transparent"] = True
    return {"kind": "Panel", "spec": spec}


def _queries(panel: dict[str, Any], where: str, lost: Lost) -> list[dict[str, Any]]:
    """Each target as a `PanelQuery`; a target without its own datasource queries the panel's, as in v1."""
    queries: list[dict[str, Any]] = []
    used = {str(target.get("refId")) for target in panel.get("targets") or [] if isinstance(target, dict)}
    spare = (letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if letter not in used)
    for target in panel.get("targets") or []:
        if not isinstance(target, dict):
            lost.add(where, f"target {target!r} is not a query object")
            continue
        spec = {key: value for key, value in target.items() if key not in _TARGET_MOVED}
        datasource = datasource_of(target.get("datasource"), panel.get("datasource"))
        ref_id = str(target.get("refId") or next(spare, f"Q{len(queries)}"))
        query_spec = {"query": data_query(datasource, spec), "refId": ref_id, "hidden": target.get("hide") is True}
        queries.append({"kind": "PanelQuery", "spec": query_spec})
    return queries


def _query_options(panel: dict[str, Any], where: str, lost: Lost) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, kind in QUERY_OPTIONS.items():
        value = panel.get(key)
        if value is None or value == "" or value is False:
            continue
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            options[key] = value
        else:
            lost.add(where, f"{key}={value!r}: v2 holds only a {kind.__name__} there")
    return options


def _field_config(panel: dict[str, Any], where: str, lost: Lost) -> dict[str, Any]:
    source = mapping(panel.get("fieldConfig"))
    defaults = mapping(source.get("defaults"))
    lost.extra_keys(f"{where} fieldConfig.defaults", defaults, FIELD_CONFIG_KEYS)
    overrides = []
    for index, override in enumerate(source.get("overrides") or []):
        if isinstance(override, dict):
            lost.extra_keys(f"{where} fieldConfig.overrides[{index}]", override, _OVERRIDE_KEYS)
            overrides.append({key: value for key, value in override.items() if key in _OVERRIDE_KEYS})
    lost.extra_keys(f"{where} fieldConfig", source, frozenset(["defaults", "overrides"]))
    return {
        "defaults": {key: value for key, value in defaults.items() if key in FIELD_CONFIG_KEYS},
        "overrides": overrides,
    }


def _transformation(source: Any, where: str, lost: Lost) -> dict[str, Any]:
    """`{id, options, ...}` → `Transformation` with the transformer id as its `group`."""
    item = mapping(source)
    lost.extra_keys(f"{where} transformation {item.get('id')!r}", item, _TRANSFORMATION_KEYS)
    spec: dict[str, Any] = {"options": item.get("options") or {}}
    spec.update({key: item[key] for key in ("disabled", "filter", "topic") if item.get(key) is not None})
    return {"kind": "Transformation", "group": str(item.get("id") or ""), "spec": spec}


def _data_link(source: Any, where: str, lost: Lost) -> dict[str, Any]:
    link = mapping(source)
    lost.extra_keys(f"{where} link {link.get('title')!r}", link, _LINK_KEYS)
    result: dict[str, Any] = {"title": str(link.get("title") or ""), "url": str(link.get("url") or "")}
    if isinstance(link.get("targetBlank"), bool):
        result["targetBlank"] = link["targetBlank"]
    return result
