"""A whole dashboard's JSON → the `Dashboard(...)` call, checked to build to what the input builds to.

grafanalib's `Dashboard` has no `extraJson`, so a dashboard-level field it cannot write is refused with the
dashboard's line, unless it is at the value Grafana assumes when the field is absent (then it is dropped).
"""

from __future__ import annotations

from typing import Any

from grafanalib.core import DEFAULT_TIME_PICKER, Annotations, Dashboard, Templating, Time, TimePicker

from compiler.import_command.dashboard_calls import Call, instantiate, json_patch, minimised
from compiler.import_command.dashboard_emitted import RawJson, emitted_dashboard
from compiler.import_command.dashboard_fields import accepted
from compiler.import_command.dashboard_json import DashboardFile
from compiler.import_command.dashboard_panels import panel_calls
from compiler.import_command.dashboard_variables import link_call, variable_call
from compiler.model.dashboards.document import SCHEMA_VERSION
from compiler.problems import CompileError, Problem
from compiler.settings.grafana import GrafanaSettings

_DIRECT = (
    "title",
    "uid",
    "description",
    "tags",
    "timezone",
    "editable",
    "graphTooltip",
    "refresh",
    "gnetId",
    "version",
)
"""Dashboard fields grafanalib writes under their own name."""
_NONE_WHEN_ABSENT = ("tags", "timezone", "refresh", "version")
"""Those grafanalib writes even when unset; `None` leaves them out again. (`editable` and `graphTooltip` refuse
`None`: absent, they are written at grafanalib's default, which is Grafana's too.)"""
_UNMODELLED: dict[str, Any] = {
    "fiscalYearStartMonth": 0,
    "liveNow": False,
    "weekStart": "",
    "preload": False,
    "revision": None,
}
"""Fields grafanalib cannot write, dropped when they hold the value Grafana assumes for a missing field."""
_ALWAYS_WRITTEN: dict[str, Any] = {
    "editable": True,
    "graphTooltip": 0,
    "time": {"from": "now-1h", "to": "now"},
    "timepicker": {"hidden": False, "refresh_intervals": DEFAULT_TIME_PICKER.refreshIntervals},
}
"""What the build adds to a dashboard that leaves these out: grafanalib always writes them."""
_ABSENT = object()


def dashboard_call(source: DashboardFile, settings: GrafanaSettings) -> Call:
    """The `Dashboard(...)` call for the file's dashboard, or a `CompileError` with every reason it cannot be."""
    document = source.document
    problems = [source.problem(document, message) for message in _input_messages(document, settings)]
    kwargs: dict[str, Any] = {}
    for key in _DIRECT:
        if key in document and (key != "description" or document[key]):
            if not accepted(Dashboard, key, document[key]):
                problems.append(source.problem(document, f"{key}={document[key]!r} is not a valid value"))
            kwargs[key] = document[key]
        elif key in _NONE_WHEN_ABSENT and key not in document:
            kwargs[key] = None
    for key, default in _UNMODELLED.items():
        if document.get(key, default) != default:
            problems.append(
                source.problem(document, f"{key}={document[key]!r}: grafanalib's Dashboard cannot express it")
            )
    if isinstance(document.get("schemaVersion"), int) and document["schemaVersion"] > SCHEMA_VERSION:
        kwargs["schemaVersion"] = document["schemaVersion"]
    kwargs.update(_time(document, source, problems))
    templating = (document.get("templating") or {}).get("list") or []
    if templating:
        kwargs["templating"] = Call(Templating, {"list": [variable_call(item, settings) for item in templating]})
    annotations = (document.get("annotations") or {}).get("list") or []
    if annotations:
        kwargs["annotations"] = Call(Annotations, {"list": annotations})
    if document.get("links"):
        kwargs["links"] = [link_call(link) for link in document["links"]]
    panels, panel_problems = panel_calls(document["panels"], source, settings)
    kwargs["panels"] = panels
    problems.extend(panel_problems)
    if problems:
        raise CompileError(problems)
    call = Call(Dashboard, kwargs)
    differences = _differences(call, source, settings)
    if differences:
        raise CompileError([source.problem(document, f"grafanalib cannot express {differences} exactly")])
    return minimised(call, lambda shorter: not _differences(shorter, source, settings))


def _input_messages(document: dict[str, Any], settings: GrafanaSettings) -> list[str]:
    """What the emitter itself refuses at dashboard level (panels are checked one by one, at their lines)."""
    return emitted_dashboard(RawJson({**document, "panels": []}), settings).messages


def _time(document: dict[str, Any], source: DashboardFile, problems: list[Problem]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    time = document.get("time")
    if isinstance(time, dict) and set(time) == {"from", "to"}:
        kwargs["time"] = Call(Time, {"start": time["from"], "end": time["to"]})
    elif time is not None:
        problems.append(source.problem(document, f"time={time!r}: grafanalib's Time has only from and to"))
    picker = document.get("timepicker") or {}
    unknown = sorted(set(picker) - {"refresh_intervals", "time_options", "nowDelay", "hidden"})
    if unknown:
        problems.append(source.problem(document, f"timepicker {', '.join(unknown)}: grafanalib cannot express it"))
    intervals = picker.get("refresh_intervals", DEFAULT_TIME_PICKER.refreshIntervals)
    if intervals != DEFAULT_TIME_PICKER.refreshIntervals or picker.get("hidden") or picker.get("nowDelay") is not None:
        given = {
            "refreshIntervals": picker.get("refresh_intervals"),
            "timeOptions": picker.get("time_options", DEFAULT_TIME_PICKER.timeOptions),
            "nowDelay": picker.get("nowDelay"),
            "hidden": bool(picker.get("hidden", False)),
        }
        kwargs["timePicker"] = Call(TimePicker, {key: value for key, value in given.items() if value is not None})
    return kwargs


def _differences(call: Call, source: DashboardFile, settings: GrafanaSettings) -> dict[str, Any]:
    """How what the call builds to differs from what the input builds to (empty when they are the same)."""
    wanted = emitted_dashboard(RawJson(source.document), settings).document
    try:
        got = emitted_dashboard(instantiate(call), settings).document
    except (TypeError, ValueError, AttributeError) as error:
        return {"arguments": str(error)}
    differences = _beyond_defaults(json_patch(wanted, got), _ALWAYS_WRITTEN, source.document)
    if differences.get("panels") and _same_panels(wanted["panels"], got["panels"]):
        del differences["panels"]
    return {key: value for key, value in differences.items() if key not in _UNMODELLED}


def _same_panels(wanted: list[Any], got: list[Any]) -> bool:
    """Panel by panel, equal but for the dicts grafanalib always writes (see `json_patch`)."""
    return len(wanted) == len(got) and all(
        not json_patch(_own(built), _own(expected))
        and _same_panels(expected.get("panels", []), built.get("panels", []))
        for expected, built in zip(wanted, got, strict=True)
    )


def _own(panel: dict[str, Any]) -> dict[str, Any]:
    """A panel without a row's panels, which are compared one by one."""
    return {key: value for key, value in panel.items() if key != "panels"}


def _beyond_defaults(added: dict[str, Any], defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The differences in `added` other than fields the input left out and the build wrote at their default."""
    rest: dict[str, Any] = {}
    for key, value in added.items():
        default = defaults.get(key, _ABSENT)
        if key not in given and value == default:
            continue
        if isinstance(value, dict) and isinstance(default, dict) and isinstance(given.get(key), dict):
            if nested := _beyond_defaults(value, default, given[key]):
                rest[key] = nested
            continue
        rest[key] = value
    return rest
