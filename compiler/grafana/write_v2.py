"""The classic (v1) dashboard JSON moncc writes → the v2 dashboard resource Grafana 12 and 13 read
(`apiVersion: dashboard.grafana.app/v2`, GA in Grafana 13), from the same document, so both schemas show the
same dashboard.

The mapping follows Grafana's own v1→v2 conversion: panels become `elements` placed by a `layout`
(`write_v2_layout.py`, `write_v2_panels.py`), variables become kinds (`write_v2_variables.py`), v1's numeric
codes become names (`graphTooltip` → `cursorSync`), `time`, `refresh` and `timepicker` become `timeSettings`.
What v1 holds and v2 cannot is returned as `V2Document.problems` (one line each), never dropped silently; the
v1 storage fields `id`, `version`, `schemaVersion` and `gnetId` (the grafana.com listing it came from) are not
content and have no v2 counterpart. The output
depends on the input alone: no timestamps, no lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compiler.grafana.write_v2_kinds import Lost, data_query, datasource_of, holds_nothing, mapping
from compiler.grafana.write_v2_layout import elements_and_layout
from compiler.grafana.write_v2_variables import variables

API_VERSION = "dashboard.grafana.app/v2"
KIND = "Dashboard"
CURSOR_SYNC = ("Off", "Crosshair", "Tooltip")
"""v2's names for v1's `graphTooltip` 0, 1 and 2."""
DEFAULT_REFRESH_INTERVALS = ("5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d")
"""The refresh picker's choices when v1 names none (v2 requires the list)."""
WEEK_STARTS = frozenset(["saturday", "monday", "sunday"])

_STORAGE_ONLY = frozenset(["id", "version", "schemaVersion", "gnetId"])
_DASHBOARD_KEYS = frozenset(
    [
        "uid",
        "title",
        "description",
        "tags",
        "editable",
        "preload",
        "liveNow",
        "graphTooltip",
        "revision",
        "time",
        "timezone",
        "refresh",
        "timepicker",
        "fiscalYearStartMonth",
        "weekStart",
        "links",
        "panels",
        "templating",
        "annotations",
        *_STORAGE_ONLY,
    ]
)
_TIMEPICKER_KEYS = frozenset(["hidden", "refresh_intervals", "nowDelay", "quick_ranges", "time_options"])
"""What v2's `timeSettings` holds of v1's `timepicker` (`time_options` Grafana no longer reads at all)."""
_LINK_KEYS = frozenset(
    ["title", "type", "icon", "tooltip", "url", "tags", "asDropdown", "targetBlank", "includeVars", "keepTime"]
)
_ANNOTATION_KEYS = frozenset(["name", "datasource", "enable", "hide", "iconColor", "builtIn", "filter", "target"])
"""An annotation's own fields; the rest of a v1 annotation is its datasource's query and goes into `query.spec`."""


@dataclass(frozen=True)
class V2Document:
    """The v2 resource and what of the v1 document it could not hold (empty when nothing was lost)."""

    resource: dict[str, Any]
    problems: tuple[str, ...]


def v2_document(v1: dict[str, Any]) -> V2Document:
    """The v2 dashboard resource of a v1 dashboard document; `metadata.name` is the v1 uid."""
    lost = Lost()
    lost.extra_keys("dashboard", v1, _DASHBOARD_KEYS)
    panels = v1["panels"] if isinstance(v1.get("panels"), list) else []
    elements, layout = elements_and_layout(panels, lost)
    spec: dict[str, Any] = {
        "title": str(v1.get("title") or ""),
        "tags": [str(tag) for tag in v1.get("tags") or []],
        "editable": v1.get("editable") is not False,
        "preload": v1.get("preload") is True,
        "cursorSync": _cursor_sync(v1.get("graphTooltip"), lost),
        "timeSettings": _time_settings(v1, lost),
        "links": [_link(link, lost) for link in v1.get("links") or []],
        "variables": variables(v1, lost),
        "annotations": _annotations(v1, lost),
        "elements": elements,
        "layout": layout,
    }
    if v1.get("description"):
        spec["description"] = str(v1["description"])
    if isinstance(v1.get("liveNow"), bool):
        spec["liveNow"] = v1["liveNow"]
    if isinstance(v1.get("revision"), int) and not isinstance(v1["revision"], bool):
        spec["revision"] = v1["revision"]
    resource = {"apiVersion": API_VERSION, "kind": KIND, "metadata": {"name": str(v1.get("uid") or "")}, "spec": spec}
    return V2Document(resource, tuple(lost.messages))


def _cursor_sync(code: Any, lost: Lost) -> str:
    if code is None:
        return CURSOR_SYNC[0]
    if isinstance(code, int) and not isinstance(code, bool) and 0 <= code < len(CURSOR_SYNC):
        return CURSOR_SYNC[code]
    lost.add("dashboard", f"graphTooltip={code!r} is not 0, 1 or 2, which v2 names {', '.join(CURSOR_SYNC)}")
    return CURSOR_SYNC[0]


def _time_settings(v1: dict[str, Any], lost: Lost) -> dict[str, Any]:
    """`time`, `timezone`, `refresh`, `timepicker`, `fiscalYearStartMonth` and `weekStart` in one object."""
    time = mapping(v1.get("time"))
    lost.extra_keys("dashboard time", time, frozenset(["from", "to"]))
    picker = mapping(v1.get("timepicker"))
    lost.extra_keys("dashboard timepicker", picker, _TIMEPICKER_KEYS)
    intervals = [str(each) for each in picker.get("refresh_intervals") or []] or list(DEFAULT_REFRESH_INTERVALS)
    settings: dict[str, Any] = {
        "from": str(time.get("from") or "now-6h"),
        "to": str(time.get("to") or "now"),
        "autoRefresh": v1["refresh"] if isinstance(v1.get("refresh"), str) else "",
        "autoRefreshIntervals": intervals,
        "hideTimepicker": picker.get("hidden") is True,
        "fiscalYearStartMonth": 0,
    }
    month = v1.get("fiscalYearStartMonth")
    if isinstance(month, int) and not isinstance(month, bool) and 0 <= month <= 11:
        settings["fiscalYearStartMonth"] = month
    elif month is not None:
        lost.add("dashboard", f"fiscalYearStartMonth={month!r} is not a month from 0 to 11")
    if v1.get("refresh") not in (None, False, "") and not isinstance(v1.get("refresh"), str):
        lost.add("dashboard", f"refresh={v1['refresh']!r} is not an interval such as '1m'")
    if v1.get("timezone"):
        settings["timezone"] = str(v1["timezone"])
    if v1.get("weekStart") in WEEK_STARTS:
        settings["weekStart"] = v1["weekStart"]
    elif not holds_nothing(v1.get("weekStart")):
        lost.add("dashboard", f"weekStart={v1['weekStart']!r} is not one of {', '.join(sorted(WEEK_STARTS))}")
    if picker.get("nowDelay"):
        settings["nowDelay"] = str(picker["nowDelay"])
    if picker.get("quick_ranges"):
        settings["quickRanges"] = [
            {"display": str(each.get("display") or ""), "from": str(each.get("from")), "to": str(each.get("to"))}
            for each in picker["quick_ranges"]
            if isinstance(each, dict)
        ]
    return settings


def _link(source: Any, lost: Lost) -> dict[str, Any]:
    """A dashboard link; v2 requires every field v1 leaves out when unset, so they get v1's defaults."""
    link = mapping(source)
    lost.extra_keys(f"dashboard link {link.get('title')!r}", link, _LINK_KEYS)
    result: dict[str, Any] = {
        "title": str(link.get("title") or ""),
        "type": "dashboards" if link.get("type") == "dashboards" else "link",
        "icon": str(link.get("icon") or ""),
        "tooltip": str(link.get("tooltip") or ""),
        "tags": [str(tag) for tag in link.get("tags") or []],
        **{key: link.get(key) is True for key in ("asDropdown", "targetBlank", "includeVars", "keepTime")},
    }
    if link.get("url"):
        result["url"] = str(link["url"])
    return result


def _annotations(v1: dict[str, Any], lost: Lost) -> list[dict[str, Any]]:
    """Each annotation query; its datasource's own fields (`expr`, `step`, a built-in one's `type`...) and its
    `target` make up the `DataQuery` spec."""
    holder = mapping(v1.get("annotations"))
    lost.extra_keys("dashboard annotations", holder, frozenset(["list"]))
    result: list[dict[str, Any]] = []
    for annotation in holder.get("list") or []:
        if not isinstance(annotation, dict):
            continue
        target = mapping(annotation.get("target"))
        query_spec = {key: value for key, value in annotation.items() if key not in _ANNOTATION_KEYS} | target
        spec: dict[str, Any] = {
            "name": str(annotation.get("name") or ""),
            "query": data_query(datasource_of(annotation.get("datasource")), query_spec),
            "enable": annotation.get("enable") is True,
            "hide": annotation.get("hide") is True,
            "iconColor": str(annotation.get("iconColor") or ""),
        }
        if annotation.get("builtIn") in (True, 1):
            spec["builtIn"] = True
        if isinstance(annotation.get("filter"), dict):
            spec["filter"] = _annotation_filter(annotation["filter"], str(spec["name"]), lost)
        result.append({"kind": "AnnotationQuery", "spec": spec})
    return result


def _annotation_filter(source: dict[str, Any], name: str, lost: Lost) -> dict[str, Any]:
    lost.extra_keys(f"annotation {name!r} filter", source, frozenset(["ids", "exclude"]))
    result: dict[str, Any] = {"ids": [each for each in source.get("ids") or [] if isinstance(each, int)]}
    if source.get("exclude") is True:
        result["exclude"] = True
    return result
