"""grafanalib's `fieldConfig` and unset values in the shape Grafana's model reads: no nulls, thresholds with a
mode and a base step. Options a panel type requires are filled in by the model's writer (`compiler/grafana/`)."""

from __future__ import annotations

from typing import Any

_BASE_STEP = {"color": "green", "value": None}


def without_nulls(value: Any) -> Any:
    """`None` means "unset" in grafanalib's output; Grafana's schema wants such fields absent."""
    if isinstance(value, dict):
        return {
            key: without_nulls(item) if isinstance(item, dict | list) else item
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [without_nulls(item) if isinstance(item, dict | list) else item for item in value]
    return value


def modern_field_config(raw: Any) -> dict[str, Any]:
    """`defaults` and `overrides` (already without unset values); thresholds with a mode and the base step."""
    config = dict(raw) if isinstance(raw, dict) else {}
    defaults = dict(config.get("defaults") or {})
    thresholds = defaults.get("thresholds")
    if isinstance(thresholds, dict):
        thresholds = defaults["thresholds"] = dict(thresholds)
        steps = thresholds.get("steps")
        thresholds["steps"] = [_step(step) for step in steps] if isinstance(steps, list) and steps else [_BASE_STEP]
        thresholds.setdefault("mode", "absolute")
    return {"defaults": defaults, "overrides": config.get("overrides") or []}


def _step(step: Any) -> Any:
    if not isinstance(step, dict):
        return step
    value = step.get("value")
    if value in (None, "null", ""):
        value = None
    return {"color": step.get("color"), "value": value}
