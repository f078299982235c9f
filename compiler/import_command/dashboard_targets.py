"""A panel's targets as grafanalib `Target(...)` calls, or as plain dicts where `Target` cannot say the same.

`Target` writes the Prometheus query model only; a target with other fields (`exemplar`, another datasource's
query model) stays a dict in the `targets` list, which grafanalib writes as it is.
"""

from __future__ import annotations

from typing import Any

from grafanalib.core import Target

from compiler.import_command.dashboard_calls import Call, instantiate
from compiler.import_command.dashboard_emitted import emitted_targets
from compiler.import_command.dashboard_fields import accepted
from compiler.settings.grafana import GrafanaSettings

_TARGET_FIELDS = ("expr", "legendFormat", "instant", "interval", "format", "hide", "intervalFactor")
_TARGET_DEFAULTS = Target().to_json_data()


def datasource_kwarg(value: Any, settings: GrafanaSettings) -> Any:
    """A datasource reference as the DSL writes it: `"${datasource}"` for the project's datasource type."""
    if isinstance(value, dict) and set(value) == {"type", "uid"} and value["type"] == settings.datasource_type:
        return value["uid"]
    return value


def target_calls(targets: list[Any], datasource: dict[str, str], settings: GrafanaSettings) -> list[Any]:
    """`Target` calls where they build to what the input targets build to (refIds only where needed)."""
    wanted = emitted_targets(targets, datasource)
    calls: list[Any] = [_target_call(target, datasource, settings) for target in targets]
    for fallback in (_with_ref_id, _as_dict):
        got = emitted_targets(instantiate(calls), datasource)
        calls = [
            fallback(call, target) if isinstance(call, Call) and built != expected else call
            for call, target, built, expected in zip(calls, targets, got, wanted, strict=True)
        ]
    return calls


def _target_call(target: Any, datasource: dict[str, str], settings: GrafanaSettings) -> Any:
    if not isinstance(target, dict):
        return target
    kwargs = {
        name: target[name]
        for name in _TARGET_FIELDS
        if name in target and target[name] != _TARGET_DEFAULTS[name] and accepted(Target, name, target[name])
    }
    own = target.get("datasource")
    if own is not None and own != datasource:
        kwargs["datasource"] = datasource_kwarg(own, settings)
    return Call(Target, kwargs)


def _with_ref_id(call: Call, target: dict[str, Any]) -> Any:
    return call.with_kwargs(refId=target["refId"]) if target.get("refId") else call


def _as_dict(call: Call, target: dict[str, Any]) -> Any:
    return dict(target)
