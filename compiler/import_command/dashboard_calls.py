"""The generated module as data: grafanalib constructor calls, which can be both run and written out as source.

The importer decides every keyword argument once, as a `Call`; the same tree is instantiated to check that
it builds to the input, and rendered to the module text, so what is checked is what is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Call:
    """`cls(**kwargs)`: kwargs in the order they are written; values are JSON data, `Call`s, or lists of them."""

    cls: type
    kwargs: dict[str, Any]

    def with_kwargs(self, **kwargs: Any) -> Call:
        return Call(self.cls, {**self.kwargs, **kwargs})


def instantiate(value: Any) -> Any:
    """The grafanalib objects a `Call` tree (or JSON data holding calls) stands for."""
    if isinstance(value, Call):
        return value.cls(**{name: instantiate(item) for name, item in value.kwargs.items()})
    if isinstance(value, list):
        return [instantiate(item) for item in value]
    if isinstance(value, dict):
        return {key: instantiate(item) for key, item in value.items()}
    return value


def json_patch(current: Any, wanted: Any) -> dict[str, Any]:
    """The `extraJson` that turns the dict `current` into `wanted` under grafanalib's deep update.

    Dicts are patched key by key, anything else is replaced; a key `wanted` lacks is set to None, which the
    emitter leaves out as it does every unset grafanalib field. A dict grafanalib always writes cannot be taken
    out (its deep update merges into it), so it stays: an empty patch means "as close as grafanalib gets".
    """
    patch: dict[str, Any] = {}
    for key, value in wanted.items():
        if key not in current:
            patch[key] = value
        elif isinstance(value, dict) and isinstance(current[key], dict):
            if nested := json_patch(current[key], value):
                patch[key] = nested
        elif current[key] != value or type(current[key]) is not type(value):
            patch[key] = value
    for key, value in current.items():
        if key not in wanted and value is not None and not isinstance(value, dict):
            patch[key] = None
    return patch


def merge_patches(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Both patches in one: `second` wins where they disagree."""
    merged = dict(first)
    for key, value in second.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_patches(merged[key], value)
        else:
            merged[key] = value
    return merged


def minimised(call: Call, builds_same: Callable[[Call], bool], keep: tuple[str, ...] = ()) -> Call:
    """`call` without the keyword arguments it builds the same without (grafanalib's and the emitter's defaults),
    except those in `keep`, which say something the reader should see even where it is the default."""
    for name in [name for name in call.kwargs if name not in keep]:
        shorter = Call(call.cls, {key: value for key, value in call.kwargs.items() if key != name})
        if builds_same(shorter):
            call = shorter
    return call
