"""What every legacy panel keeps when its type changes, and the panel fields Grafana migrates whatever the type.

When Grafana changes a panel's plugin it keeps only the fields every panel has (its `mustKeepProperties`: id,
title, gridPos, targets, datasource, links, repeat...) and hands the rest, the AngularJS options, to the new
plugin's migration. The fields kept are upgraded on the way as Grafana's schema migrations do: a datasource name
becomes a reference (v33), `minSpan` becomes `maxPerRow` (v17), a dashboard link becomes a URL (v19), every query
gets a refId.
"""

from __future__ import annotations

import re
from string import ascii_uppercase
from typing import Any

from compiler.grafana.legacy.rows import GRID_COLUMNS
from compiler.grafana.legacy.values import number

_KEPT = (
    "id",
    "type",
    "title",
    "description",
    "gridPos",
    "datasource",
    "targets",
    "links",
    "repeat",
    "repeatDirection",
    "maxPerRow",
    "timeFrom",
    "timeShift",
    "hideTimeOverride",
    "interval",
    "maxDataPoints",
    "cacheTimeout",
    "queryCachingTTL",
    "transparent",
    "transformations",
    "libraryPanel",
    "pluginVersion",
)
_BUILT_IN_SOURCES = {
    "-- Grafana --": {"type": "grafana", "uid": "grafana"},
    "-- Mixed --": {"type": "datasource", "uid": "-- Mixed --"},
    "-- Dashboard --": {"type": "datasource", "uid": "-- Dashboard --"},
}
_FACTORS_OF_GRID = [1, 2, 3, 4, 6, 8, 12, 24]
_LINK_DEFAULTS = {
    "asDropdown": False,
    "icon": "external link",
    "includeVars": False,
    "keepTime": False,
    "tags": [],
    "tooltip": "",
    "type": "link",
}


def kept_fields(panel: dict[str, Any]) -> dict[str, Any]:
    """The fields a panel keeps across a type change, with their values upgraded (null ones left out)."""
    kept = {key: panel[key] for key in _KEPT if panel.get(key) is not None}
    max_per_row = _max_per_row(panel.get("minSpan"))
    if max_per_row is not None and "maxPerRow" not in kept:
        kept["maxPerRow"] = max_per_row
    if kept.get("repeat") == "":
        del kept["repeat"]
    return kept


def datasource_ref(value: Any) -> dict[str, Any] | None:
    """A datasource reference for a legacy datasource value: a name, a `$variable`, "default" or null.

    Grafana's v33 migration looks a name up among the instance's datasources to write its uid and type; without
    the instance the name is kept as the uid (a `$variable` is exactly what Grafana writes). "default" and null
    mean the default datasource: no reference.
    """
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or value in ("", "default"):
        return None
    return dict(_BUILT_IN_SOURCES.get(value, {"uid": value}))


def with_datasource_ref(holder: dict[str, Any]) -> None:
    """A query's or variable's legacy `datasource` as a reference in place, or gone when it means the default."""
    if "datasource" not in holder:
        return
    reference = datasource_ref(holder["datasource"])
    if reference is None:
        del holder["datasource"]
    else:
        holder["datasource"] = reference


def upgrade_targets(targets: list[Any]) -> int:
    """Give every query a refId and a datasource reference; drop `step` and null fields. Returns the `step`s dropped.

    `step` is the resolution Grafana 4 computed when it ran a Prometheus query and saved with it; no later
    Grafana reads it (`intervalFactor` is still honoured, as the query's resolution, and is kept). A null field
    reads as an absent one. Other fields stay, as Grafana keeps them.
    """
    used = {target.get("refId") for target in targets if isinstance(target, dict)}
    dropped = 0
    for target in targets:
        if not isinstance(target, dict):
            continue
        if not target.get("refId"):
            target["refId"] = _next_ref_id(used)
            used.add(target["refId"])
        with_datasource_ref(target)
        if target.pop("step", None) is not None:
            dropped += 1
        for key in [key for key, value in target.items() if value is None]:
            del target[key]
    return dropped


def upgrade_links(links: list[Any]) -> list[dict[str, Any]]:
    """Panel links of Grafana 4 (a dashboard name, keepTime, includeVars, params) as URLs (Grafana's v19).

    Grafana saves only title, url and targetBlank; its schema types panel links as dashboard links, whose other
    fields are written with their defaults (the time range and variables travel in the URL).
    """
    upgraded = []
    for link in links:
        if not isinstance(link, dict):
            continue
        url = link.get("url") or ""
        if not url and link.get("dashboard"):
            url = "dashboard/db/" + _slug(str(link["dashboard"]))
        elif not url and link.get("dashUri"):
            url = "dashboard/" + str(link["dashUri"])
        elif not url:
            url = "/"
        params = [
            param
            for param, wanted in (
                ("$__url_time_range", link.get("keepTime")),
                ("$__all_variables", link.get("includeVars")),
                (link.get("params"), link.get("params")),
            )
            if wanted
        ]
        if params:
            url += "?" + "&".join(str(param) for param in params)
        upgraded.append(
            {
                **_LINK_DEFAULTS,
                "targetBlank": bool(link.get("targetBlank")),
                "title": link.get("title") or "",
                "url": url,
            }
        )
    return upgraded


def _next_ref_id(used: set[Any]) -> str:
    """The first of A, B, ... Z, AA, AB, ... not used yet (Grafana's getNextRefId)."""
    for length in (1, 2):
        for index in range(len(ascii_uppercase) ** length):
            ref_id = ""
            for _ in range(length):
                index, letter = divmod(index, len(ascii_uppercase))
                ref_id = ascii_uppercase[letter] + ref_id
            if ref_id not in used:
                return ref_id
    raise ValueError("more than 702 queries in one panel")


def _max_per_row(min_span: Any) -> int | None:
    """`maxPerRow` for a `minSpan` in grid columns: the largest factor of 24 that fits (Grafana's v17)."""
    columns = number(min_span)
    if columns is None or columns <= 0:
        return None
    most = GRID_COLUMNS / columns
    fitting = [factor for factor in _FACTORS_OF_GRID if factor <= most]
    return fitting[-1] if fitting else 1


def _slug(name: str) -> str:
    return re.sub(r" +", "-", re.sub(r"[^a-z0-9_ ]+", "", name.lower()))
