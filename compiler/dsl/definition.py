"""The base of every DSL object: pydantic validation, the author's file:line, one-line errors."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, InstanceOf, ValidationError

from compiler.dsl.location import caller_location
from compiler.problems import DefinitionError, Problem, SourceLocation


class Definition(BaseModel):
    """A validated, immutable DSL object that remembers where it was written."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: ClassVar[str]
    location: InstanceOf[SourceLocation] = Field(exclude=True, repr=False)

    def __init__(self, /, **data: Any) -> None:
        location = data.get("location") or caller_location()
        data["location"] = location
        try:
            super().__init__(**data)
        except ValidationError as error:
            subject = f"{self.kind} {data.get('name')}" if isinstance(data.get("name"), str) else self.kind
            raise DefinitionError(
                Problem(f"{subject}: {_describe(detail)}", location) for detail in error.errors()
            ) from None

    @property
    def title(self) -> str:
        """How messages name this object, e.g. `alert HighErrorRate`."""
        name = getattr(self, "name", None)
        return f"{self.kind} {name}" if name else self.kind


def _describe(detail: Any) -> str:
    """One pydantic error as `field: reason`, without pydantic's own prefixes."""
    message = str(detail["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    field = ".".join(str(part) for part in detail["loc"]).removesuffix("_")
    return f"{field}: {message}" if field else message


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
