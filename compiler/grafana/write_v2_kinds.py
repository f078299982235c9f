"""What every part of the v2 writer shares: the record of what v2 cannot hold, and the `DataQuery` kind.

v2 names a query's datasource by plugin type (`group`) and uid (`datasource.name`) instead of v1's `{type, uid}`
object; panels, query variables and annotations all go through `data_query`, so they agree on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DATA_QUERY_VERSION = "v0"
"""The version Grafana writes on every `DataQuery` it converts from v1."""


@dataclass
class Lost:
    """What the v1 document holds and the v2 one cannot, one readable line each, in document order."""

    messages: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")

    def extra_keys(self, where: str, source: dict[str, Any], kept: frozenset[str] | set[str]) -> None:
        """One line per key v2 has no place for; a null, false or empty value holds nothing and is not reported."""
        for key in sorted(set(source) - kept):
            if not holds_nothing(source[key]):
                self.add(where, f"{key}={source[key]!r} has no place in Grafana's v2 schema")


def mapping(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one: v1 documents are read, never trusted."""
    return value if isinstance(value, dict) else {}


def holds_nothing(value: Any) -> bool:
    """Null, false or empty: what an unset v1 field is written as (0 is a value)."""
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def datasource_of(reference: Any, fallback: Any = None) -> dict[str, str]:
    """`{type, uid}` of a v1 datasource reference (the fallback's when it has none); empty strings when unknown."""
    chosen = reference if isinstance(reference, dict) else fallback
    if not isinstance(chosen, dict):
        return {"type": "", "uid": ""}
    return {"type": str(chosen.get("type") or ""), "uid": str(chosen.get("uid") or "")}


def data_query(datasource: dict[str, str], spec: dict[str, Any]) -> dict[str, Any]:
    """The `DataQuery` kind: `group` the datasource's plugin type, `datasource.name` its uid (or `${variable}`)."""
    query: dict[str, Any] = {
        "kind": "DataQuery",
        "group": datasource["type"],
        "version": DATA_QUERY_VERSION,
        "spec": spec,
    }
    if datasource["uid"]:
        query["datasource"] = {"name": datasource["uid"]}
    return query


def text_or_texts(value: Any) -> str | list[str]:
    """A variable option's text or value as v2 holds it: a string, or a list of strings."""
    if isinstance(value, list):
        return [str(item) for item in value]
    return "" if value is None else str(value)


def variable_option(option: Any) -> dict[str, Any]:
    """A v1 `{text, value, selected}` option as v2's `VariableOption`."""
    source = mapping(option)
    result: dict[str, Any] = {"text": text_or_texts(source.get("text")), "value": text_or_texts(source.get("value"))}
    if isinstance(source.get("selected"), bool):
        result["selected"] = source["selected"]
    return result
