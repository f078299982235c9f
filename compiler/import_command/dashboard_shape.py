"""The JSON types a dashboard's fields must have before the importer and the emitter read them.

Both read fields by their expected shape (`templating.list` is a list of objects, `gridPos` an object of
integers); an exported dashboard always has these shapes, a hand-edited or hostile one may not. Each table
row is a path (`*` for every item of a list) and the JSON types allowed there; a field that is absent passes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Pattern = tuple[str, ...]

_OBJECT = (dict,)
_OPTIONAL_OBJECT = (dict, type(None))
_OPTIONAL_LIST = (list, type(None))
_OPTIONAL_STRING = (str, type(None))
_DATASOURCE = (str, dict, type(None))

DASHBOARD_FIELDS: Mapping[Pattern, tuple[type, ...]] = {
    ("uid",): _OPTIONAL_STRING,
    ("schemaVersion",): (int, type(None)),
    ("timepicker",): _OPTIONAL_OBJECT,
    ("templating",): _OPTIONAL_OBJECT,
    ("templating", "list"): _OPTIONAL_LIST,
    ("templating", "list", "*"): _OBJECT,
    ("templating", "list", "*", "name"): _OPTIONAL_STRING,
    ("templating", "list", "*", "type"): _OPTIONAL_STRING,
    ("templating", "list", "*", "datasource"): _DATASOURCE,
    ("annotations",): _OPTIONAL_OBJECT,
    ("annotations", "list"): _OPTIONAL_LIST,
    ("annotations", "list", "*"): _OBJECT,
    ("links",): _OPTIONAL_LIST,
    ("links", "*"): _OBJECT,
}
"""Dashboard-level fields."""

PANEL_FIELDS: Mapping[Pattern, tuple[type, ...]] = {
    ("datasource",): _DATASOURCE,
    ("gridPos",): _OPTIONAL_OBJECT,
    **{("gridPos", key): (int,) for key in ("h", "w", "x", "y")},
    ("fieldConfig",): _OPTIONAL_OBJECT,
    ("fieldConfig", "defaults"): _OPTIONAL_OBJECT,
    ("fieldConfig", "defaults", "color"): _OPTIONAL_OBJECT,
    ("fieldConfig", "overrides"): _OPTIONAL_LIST,
    ("options",): _OPTIONAL_OBJECT,
    ("options", "legend"): _OPTIONAL_OBJECT,
    ("options", "tooltip"): _OPTIONAL_OBJECT,
    ("targets",): _OPTIONAL_LIST,
    ("targets", "*"): _OBJECT,
    ("targets", "*", "datasource"): _DATASOURCE,
    ("targets", "*", "refId"): _OPTIONAL_STRING,
}
"""Fields of every panel (rows and the panels inside them included)."""

_NAMES = {dict: "an object", list: "a list", str: "a string", int: "an integer", type(None): "null"}
_SHOWN = 40


def shape_messages(value: dict[str, Any], fields: Mapping[Pattern, tuple[type, ...]]) -> Iterator[str]:
    """One message per field of `value` whose JSON type is not one the table allows."""
    for pattern, allowed in fields.items():
        for path, found in _matches(value, pattern):
            if not _is(found, allowed):
                expected = " or ".join(_NAMES[kind] for kind in allowed)
                yield f"{'.'.join(path)}: expected {expected}, got {_shown(found)}"
        if pattern[-1:] == ("datasource",):
            for path, found in _matches(value, pattern):
                if isinstance(found, dict) and not isinstance(found.get("type") or found.get("uid"), str):
                    yield f"{'.'.join(path)}: a datasource reference needs a type, got {_shown(found)}"
    if isinstance(value.get("gridPos"), dict):
        missing = [key for key in ("h", "w", "x", "y") if key not in value["gridPos"]]
        if missing:
            yield f"gridPos: no {', '.join(missing)}"


def _matches(value: Any, pattern: Pattern, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every value at `pattern` below `value`, with its concrete path; the parents must already match the
    table (checked by its earlier rows), anything else is skipped here."""
    if not pattern:
        yield path, value
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _matches(item, rest, (*path, str(index)))
    elif isinstance(value, dict) and step in value:
        yield from _matches(value[step], rest, (*path, step))


def _is(value: Any, allowed: tuple[type, ...]) -> bool:
    """JSON's types: a boolean is not an integer here."""
    if isinstance(value, bool):
        return bool in allowed
    return isinstance(value, allowed)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}..."
