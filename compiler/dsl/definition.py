"""The base of every DSL object: pydantic validation, the author's file:line, one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, InstanceOf, ValidationError

from compiler.dsl.location import caller_location
from compiler.dsl.messages import definition_error, subject
from compiler.problems import SourceLocation

_UNSET = SourceLocation(Path("<unset>"), 0)
_created: ContextVar[list[Definition] | None] = ContextVar("moncc_created_definitions", default=None)


@contextmanager
def recording_definitions() -> Iterator[list[Definition]]:
    """Collect every DSL object constructed in the block, so the loader can name the ones nobody kept."""
    created: list[Definition] = []
    token = _created.set(created)
    try:
        yield created
    finally:
        _created.reset(token)


class Definition(BaseModel):
    """A validated, immutable DSL object that remembers where it was written."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: ClassVar[str]
    location: InstanceOf[SourceLocation] = Field(default=_UNSET, exclude=True, repr=False)
    """Always the author's line: `__init__` fills it in; the default only spares keyword-built objects
    (`Slack(channel=...)`) from naming it in their typed signature."""

    def __init__(self, /, **data: Any) -> None:
        location = data.get("location") or caller_location()
        data["location"] = location
        try:
            super().__init__(**data)
        except ValidationError as error:
            name = data.get("name")
            named = subject(self.kind, name if isinstance(name, str) else None)
            raise definition_error(error, named, location) from None
        created = _created.get()
        if created is not None:
            created.append(self)

    @property
    def title(self) -> str:
        """How messages name this object, e.g. `alert HighErrorRate`."""
        return subject(self.kind, getattr(self, "name", None))


def fold_keywords(data: dict[str, Any], target: str, keywords: tuple[str, ...]) -> dict[str, Any]:
    """Move keyword arguments such as `severity=` into the `target` dictionary, refusing contradictions."""
    data = dict(data)
    merged = dict(data.get(target) or {})
    for keyword in keywords:
        value = data.pop(keyword, None)
        if value is None:
            continue
        if keyword in merged and merged[keyword] != value:
            raise ValueError(f"{keyword}={value!r} contradicts {target}[{keyword!r}]={merged[keyword]!r}; give it once")
        merged[keyword] = value
    data[target] = merged
    return data
