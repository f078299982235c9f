"""A grafanalib `Dashboard` → the JSON model Grafana 11/12 loads (classic v1 schema, modern panels).

grafanalib's own output is the starting point (so every field it supports is honoured); this module removes
what Grafana no longer reads, moves what moved, adds what every dashboard of this project must have (a stable
`uid`, the datasource variable, datasource references, laid-out panels with unique ids) and reports what cannot
be carried over. The text is deterministic: sorted keys, two-space indent, trailing newline, no timestamps.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from grafanalib.core import DEFAULT_TIME_PICKER, RowPanel

from compiler.grafana.dashboard import Dashboard
from compiler.grafana.parse import parse_dashboard
from compiler.grafana.write_v1 import v1_document
from compiler.model.dashboards.layout import assign_ids, lay_out
from compiler.model.dashboards.panels import modern_panel, modern_row
from compiler.model.dashboards.plain_data import grafanalib_json
from compiler.model.dashboards.problems import DashboardProblem, PanelProblems
from compiler.model.dashboards.targets import datasource_ref
from compiler.settings.grafana import GrafanaSettings

SCHEMA_VERSION = 39
"""The schema version of Grafana 11.0; Grafana 11 and 12 load it without migrating panels."""
MAX_UID_LENGTH = 40
_UID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_DASHBOARD_KEYS = frozenset(
    [
        "id",
        "uid",
        "title",
        "description",
        "revision",
        "gnetId",
        "tags",
        "timezone",
        "editable",
        "graphTooltip",
        "time",
        "timepicker",
        "fiscalYearStartMonth",
        "liveNow",
        "weekStart",
        "refresh",
        "schemaVersion",
        "version",
        "panels",
        "templating",
        "annotations",
        "links",
        "preload",
    ]
)
_LEGACY_DASHBOARD: dict[str, Any] = {"__inputs": [], "hideControls": False, "sharedCrosshair": False, "style": "dark"}
_TEMPLATE_LEGACY: dict[str, Any] = {"useTags": False, "tagsQuery": None, "tagValuesQuery": None}
_INTERVAL_ONLY = ("auto", "auto_min", "auto_count")


@dataclass
class ModernDashboard:
    """The converted dashboard and what could not be converted (without a location)."""

    document: dict[str, Any]
    problems: list[DashboardProblem] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]


def valid_uid(uid: str) -> bool:
    """Whether Grafana accepts the uid and it is safe as a file name (no `/`, `.`, spaces)."""
    return _UID.fullmatch(uid) is not None


def derive_uid(module: str, title: str) -> str:
    """A uid from the module and title: readable, at most 40 characters, stable from run to run.

    `http_api` + "HTTP API overview" gives `http-api-http-api-overview`; longer ones keep a readable prefix
    and end in 8 hex digits of a hash of the full text, so two long titles never collide by truncation.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", f"{module}-{title}".lower()).strip("-") or "dashboard"
    if len(slug) <= MAX_UID_LENGTH:
        return slug
    digest = hashlib.sha256(f"{module}\0{title}".encode()).hexdigest()[:8]
    return f"{slug[: MAX_UID_LENGTH - 9].rstrip('-')}-{digest}"


def modern_dashboard(dashboard: Any, module: str, settings: GrafanaSettings) -> ModernDashboard:
    from_grafanalib = not isinstance(dashboard, Dashboard)
    raw = grafanalib_json(dashboard) if from_grafanalib else v1_document(dashboard)
    problems = PanelProblems()
    messages: list[str] = []
    datasource = settings.datasource_ref

    for key, unset in _LEGACY_DASHBOARD.items():
        value = raw.pop(key, unset)
        if key == "sharedCrosshair" and value is True and raw.get("graphTooltip", 0) == 0:
            raw["graphTooltip"] = 1
        elif value != unset and key != "sharedCrosshair":
            messages.append(f"{key}={value!r} has no place in Grafana's dashboard model and would be lost; remove it")
    legacy_rows = raw.pop("rows", [])
    for key in sorted(set(raw) - _DASHBOARD_KEYS):
        messages.append(f"{key}={raw.pop(key)!r} has no place in Grafana's dashboard model; remove it")

    document = {key: value for key, value in raw.items() if value is not None and key != "id"}
    if not document.get("description"):
        document.pop("description", None)
    if not isinstance(document.get("title", ""), str):
        messages.append(f"title must be text, got {type(document['title']).__name__} {document['title']!r}")
    uid = document.get("uid") or derive_uid(module, str(document.get("title", "")))
    if not valid_uid(uid):
        messages.append(f"uid {uid!r} must be 1 to 40 letters, digits, '-' or '_'")
    document["uid"] = uid
    document["schemaVersion"] = max(SCHEMA_VERSION, int(document.get("schemaVersion") or 0))
    document["timepicker"] = _timepicker(document.get("timepicker") or {}, messages)
    document["templating"] = {"list": _variables(raw.get("templating") or {}, settings, messages)}
    document["annotations"] = raw.get("annotations") or {"list": []}

    sources = [*_from_legacy_rows(legacy_rows), *(raw.get("panels") or [])]
    document["panels"] = _panels(sources, datasource, problems, from_grafanalib)
    found = [*map(DashboardProblem, messages), *problems.found]
    if found:
        return ModernDashboard(document, found)
    return _checked(document)


def _checked(document: dict[str, Any]) -> ModernDashboard:
    """The document read into Grafana's model and written back by its one writer, or what breaks the model."""
    parsed = parse_dashboard(document)
    if parsed.dashboard is None:
        return ModernDashboard(
            document,
            [
                DashboardProblem(
                    f"{'panel ' + repr(problem.panel_title) + ': ' if problem.panel_title else ''}{problem.message}",
                    problem.panel_title,
                )
                for problem in parsed.problems
            ],
        )
    return ModernDashboard(v1_document(parsed.dashboard))


def _panels(
    sources: list[Any], datasource: dict[str, str], problems: PanelProblems, grafanalib: bool
) -> list[dict[str, Any]]:
    """Convert, flatten open rows' panels after their row, lay out, number. Only grafanalib's panels are
    migrated from the old shapes grafanalib writes; a typed model's panels are already Grafana's."""
    panels: list[dict[str, Any]] = []
    for index, raw in enumerate(sources):
        if not isinstance(raw, dict):
            problems.add_dashboard(
                f"panels[{index}]: {raw!r} is not a panel; give a grafanalib panel such as TimeSeries(...)"
            )
            continue
        if raw.get("type") == "row":
            row = modern_row(raw, problems, _row_defaults())
            children = [
                converted
                for child in row["panels"]
                if isinstance(child, dict)
                and (converted := modern_panel(child, datasource, problems, grafanalib)) is not None
            ]
            row["panels"] = children if row["collapsed"] else []
            panels.append(row)
            if not row["collapsed"]:
                panels.extend(children)
        elif (converted := modern_panel(raw, datasource, problems, grafanalib)) is not None:
            panels.append(converted)
    lay_out(panels, problems)
    assign_ids(panels, problems)
    return panels


@cache
def _row_defaults() -> dict[str, Any]:
    return grafanalib_json(RowPanel())


def _from_legacy_rows(rows: list[Any]) -> list[dict[str, Any]]:
    """grafanalib's legacy `Row`s as modern row panels; a row without a title only groups its panels."""
    result: list[dict[str, Any]] = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        height = row.get("height")
        children = [{**panel, "height": panel.get("height") or height} for panel in row.get("panels") or []]
        titled = bool(row.get("showTitle")) or row.get("collapse") or row.get("repeat")
        if not titled:
            result.extend(children)
            continue
        modern = {"type": "row", "title": row.get("title"), "collapsed": bool(row.get("collapse"))}
        if row.get("repeat"):
            modern["repeat"] = row["repeat"]
        modern["panels"] = children
        result.append(modern)
    return result


def _timepicker(picker: dict[str, Any], messages: list[str]) -> dict[str, Any]:
    options = picker.pop("time_options", DEFAULT_TIME_PICKER.timeOptions)
    if options != DEFAULT_TIME_PICKER.timeOptions:
        messages.append(f"timePicker timeOptions={options!r}: Grafana no longer reads them; use quick_ranges")
    return {key: value for key, value in picker.items() if value is not None}


def _variables(templating: dict[str, Any], settings: GrafanaSettings, messages: list[str]) -> list[dict[str, Any]]:
    """The author's variables cleaned up, the datasource variable first (added when the author left it out)."""
    variables: list[dict[str, Any]] = []
    for raw in templating.get("list") or []:
        variable = {key: value for key, value in raw.items() if value is not None} if isinstance(raw, dict) else raw
        if not isinstance(variable, dict):
            continue
        name = variable.get("name")
        for key, unset in _TEMPLATE_LEGACY.items():
            if variable.pop(key, unset) != unset:
                messages.append(f"variable {name!r}: {key} is gone from Grafana (tags were removed); remove it")
        if variable.get("type") != "interval":
            for key in _INTERVAL_ONLY:
                variable.pop(key, None)
        current = variable.get("current")
        if isinstance(current, dict):
            current.pop("tags", None)
            if current.get("text") is None or current.get("value") is None:
                variable.pop("current")
        if variable.get("type", "query") == "query":
            variable["datasource"] = datasource_ref(variable.get("datasource"), settings.datasource_ref)
        elif "datasource" in variable:
            variable["datasource"] = datasource_ref(variable["datasource"], settings.datasource_ref)
        if variable.get("type") in {"datasource", "constant", "custom", "textbox", "interval"}:
            variable.pop("datasource", None)
        variables.append(variable)

    name = settings.datasource_variable
    existing = [variable for variable in variables if variable.get("name") == name]
    if not existing:
        variables.insert(0, datasource_variable(settings))
    elif existing[0].get("type") != "datasource" or existing[0].get("query") != settings.datasource_type:
        messages.append(
            f"variable {name!r} must be a datasource variable (type 'datasource', query "
            f"{settings.datasource_type!r}): every panel's datasource refers to it"
        )
    return variables


def datasource_variable(settings: GrafanaSettings) -> dict[str, Any]:
    """The variable that lets a viewer pick which Prometheus every panel queries."""
    return {
        "type": "datasource",
        "name": settings.datasource_variable,
        "label": "Data source",
        "query": settings.datasource_type,
        "hide": 0,
        "refresh": 1,
        "regex": "",
        "includeAll": False,
        "multi": False,
    }
