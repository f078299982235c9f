"""One panel's JSON → a grafanalib panel call that builds to exactly what the input builds to.

Keyword arguments say what grafanalib models (`dashboard_fields`); the emitter is then asked what the call
builds to, and the difference from what the input builds to becomes the call's `extraJson`. The result is
checked, so a panel is either carried over whole or refused with its line.
"""

from __future__ import annotations

from typing import Any

from grafanalib.core import GridPos, Repeat, RowPanel

from compiler.import_command.dashboard_calls import Call, instantiate, json_patch, merge_patches, minimised
from compiler.import_command.dashboard_emitted import emitted_panel
from compiler.import_command.dashboard_fields import PANEL_CLASSES, accepted, field_kwargs
from compiler.import_command.dashboard_json import DashboardFile
from compiler.import_command.dashboard_targets import datasource_kwarg, target_calls
from compiler.model.dashboards.plain_data import grafanalib_json
from compiler.model.dashboards.targets import datasource_ref
from compiler.problems import Problem
from compiler.settings.grafana import GrafanaSettings

_ATTEMPTS = 3
"""Patches needed before a panel builds like its input: one, or two when the emitter moves a patched field."""
_GRID_KEYS = ("h", "w", "x", "y")


def panel_calls(
    panels: list[dict[str, Any]], source: DashboardFile, settings: GrafanaSettings
) -> tuple[list[Call], list[Problem]]:
    """Every panel as a call, and every reason one of them cannot be imported."""
    calls: list[Call] = []
    problems: list[Problem] = []
    for panel in panels:
        result = panel_call(panel, source, settings)
        if isinstance(result, Call):
            calls.append(result)
        else:
            problems.extend(result)
    return calls, problems


def panel_call(panel: dict[str, Any], source: DashboardFile, settings: GrafanaSettings) -> Call | list[Problem]:
    """The call for one panel (a collapsed row with its panels), or why it cannot be imported."""
    kind = "row" if panel["type"] == "row" else "panel"
    name = f"{kind} {panel.get('title') or '(untitled)'!r}"
    wanted, messages = emitted_panel(panel, settings)
    if messages or wanted is None:
        return [source.problem(panel, f"cannot be built by moncc: {message}") for message in messages]
    cls = PANEL_CLASSES.get(panel["type"])
    if cls is None:
        return [source.problem(panel, f"{name}: grafanalib has no class for panel type {panel['type']!r}")]
    patched = _patched(Call(cls, _kwargs(cls, panel, settings)), wanted, settings)
    if isinstance(patched, str):
        return [source.problem(panel, f"{name}: grafanalib cannot express {patched}")]
    call, built = patched
    shortest = minimised(call, lambda shorter: _built(shorter, settings) == built, keep=("dataSource",))
    return _with_children(shortest, panel, source, settings)


def _patched(call: Call, wanted: dict[str, Any], settings: GrafanaSettings) -> tuple[Call, dict[str, Any]] | str:
    """The call with the `extraJson` that makes it build like the input, and what it builds to; or what is off."""
    for _ in range(_ATTEMPTS):
        got = _built(call, settings)
        if got is None:
            return "its arguments"
        patch = json_patch(got, wanted)
        if not patch:
            return call, got
        call = call.with_kwargs(extraJson=merge_patches(call.kwargs.get("extraJson", {}), patch))
    return str(sorted(patch))


def _built(call: Call, settings: GrafanaSettings) -> dict[str, Any] | None:
    """What the panel call builds to, or None if grafanalib refuses the arguments."""
    try:
        return emitted_panel(grafanalib_json(instantiate(call)), settings)[0]
    except (TypeError, ValueError, AttributeError):  # grafanalib's deep update of extraJson into a non-object
        return None


def _kwargs(cls: type, panel: dict[str, Any], settings: GrafanaSettings) -> dict[str, Any]:
    """Keyword arguments in reading order: what it is, where its data comes from, how it looks, where it is."""
    fields = field_kwargs(cls, panel)
    kwargs: dict[str, Any] = {name: fields.pop(name) for name in ("title", "description") if name in fields}
    if panel.get("datasource") is not None:
        kwargs["dataSource"] = datasource_kwarg(panel["datasource"], settings)
    kwargs.update(fields)
    kwargs.update(_repeat(panel))
    position = panel.get("gridPos")
    if isinstance(position, dict) and sorted(position) == sorted(_GRID_KEYS):
        kwargs["gridPos"] = Call(GridPos, {key: position[key] for key in _GRID_KEYS})
    if panel.get("targets") and cls is not RowPanel:
        datasource = datasource_ref(panel.get("datasource"), settings.datasource_ref)
        kwargs["targets"] = target_calls(panel["targets"], datasource, settings)
    return kwargs


def _repeat(panel: dict[str, Any]) -> dict[str, Any]:
    """grafanalib's `Repeat` writes `repeat`, `repeatDirection` and `maxPerRow` together."""
    if not isinstance(panel.get("repeat"), str):
        return {}
    kwargs = {
        "variable": panel["repeat"],
        "direction": panel.get("repeatDirection"),
        "maxPerRow": panel.get("maxPerRow"),
    }
    given = {name: value for name, value in kwargs.items() if value is not None and accepted(Repeat, name, value)}
    return {"repeat": Call(Repeat, given)}


def _with_children(
    call: Call, row: dict[str, Any], source: DashboardFile, settings: GrafanaSettings
) -> Call | list[Problem]:
    """A collapsed row keeps its panels inside it (an open row's follow it in the dashboard's list)."""
    children = row.get("panels") if row["type"] == "row" else None
    if not children:
        return call
    calls, problems = panel_calls(children, source, settings)
    return problems or call.with_kwargs(panels=calls)
