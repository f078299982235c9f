"""The text of a dashboard written to build/.

It is exactly what `json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)` writes, plus a
trailing newline, about two and a half times as fast: with `indent`, the standard library falls back from its C
encoder to a generator-based Python one, which was the largest single cost of compiling hundreds of dashboards.
Strings still go through the C `encode_basestring`, numbers through `repr`, so the bytes are the same."""

from __future__ import annotations

import math
from collections.abc import Iterable
from json.encoder import encode_basestring as _string
from typing import Any

_CONTAINERS = (dict, list, tuple)


def json_text(document: Any) -> str:
    """Deterministic text: sorted keys, two-space indent, non-ASCII kept, trailing newline."""
    chunks: list[str] = []
    if isinstance(document, _CONTAINERS):
        _encode(document, "\n", chunks)
    else:
        chunks.append(_scalar(document))
    chunks.append("\n")
    return "".join(chunks)


def _encode(value: Any, newline: str, chunks: list[str]) -> None:
    """A container's text, its scalars joined into as few chunks as its nested containers allow.

    Text, whole numbers and booleans (most of a dashboard's values) are written in the loop, by their exact
    type: a function call per value cost more than its encoding. Keys are sorted alone (they are unique), not
    as (key, value) pairs."""
    if not value:
        chunks.append("{}" if isinstance(value, dict) else "[]")
        return
    inner = newline + "  "
    separator = "," + inner
    keyed = isinstance(value, dict)
    text = ("{" if keyed else "[") + inner
    keys: Iterable[Any] = sorted(value) if keyed else range(len(value))
    for key in keys:
        item = value[key]
        prefix = _string(key) + ": " if keyed else ""
        kind = type(item)
        if kind is str:
            text += prefix + _string(item) + separator
        elif kind is bool:
            text += prefix + ("true" if item else "false") + separator
        elif kind is int:
            text += prefix + int.__repr__(item) + separator
        elif isinstance(item, _CONTAINERS):
            chunks.append(text + prefix)
            _encode(item, inner, chunks)
            text = separator
        else:
            text += prefix + _scalar(item) + separator
    chunks.append(text[: -len(separator)] + newline + ("}" if keyed else "]"))


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return float.__repr__(value)
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
