"""The text of a dashboard written to build/.

It is exactly what `json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)` writes, plus a
trailing newline, about twice as fast: with `indent`, the standard library falls back from its C encoder to a
generator-based Python one, which was the largest single cost of compiling hundreds of dashboards. Strings still
go through the C `encode_basestring`, numbers through `repr`, so the bytes are the same."""

from __future__ import annotations

import math
from json.encoder import encode_basestring as _string
from typing import Any


def json_text(document: Any) -> str:
    """Deterministic text: sorted keys, two-space indent, non-ASCII kept, trailing newline."""
    chunks: list[str] = []
    _encode(document, "\n", chunks)
    chunks.append("\n")
    return "".join(chunks)


def _encode(value: Any, newline: str, chunks: list[str]) -> None:
    if isinstance(value, dict):
        items = sorted(value.items())
        opening, closing = "{", "}"
    elif isinstance(value, list | tuple):
        items = list(enumerate(value))
        opening, closing = "[", "]"
    else:
        chunks.append(_scalar(value))
        return
    if not items:
        chunks.append(opening + closing)
        return
    inner = newline + "  "
    separator = opening + inner
    keyed = opening == "{"
    for key, item in items:
        chunks.append(separator + _string(key) + ": " if keyed else separator)
        if isinstance(item, dict | list | tuple):
            _encode(item, inner, chunks)
        else:
            chunks.append(_scalar(item))
        separator = "," + inner
    chunks.append(newline + closing)


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
