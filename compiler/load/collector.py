"""The DSL objects a module keeps, by their class: every kind the DSL has, with no list to extend by hand.

A module keeps an object by binding it to a module-level name (not starting with `_`), or by holding it
anywhere inside lists, tuples and dicts bound so. A new DSL kind (an Alertmanager route, say) is collected
as soon as it exists; its loader asks for it with `Kept.of(Route)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from compiler.dsl.definition import Definition

Kind = TypeVar("Kind", bound=Definition)


@dataclass(frozen=True)
class Kept:
    """What one module keeps, in the order it comes, each object once."""

    objects: tuple[Definition, ...] = field(default_factory=tuple)

    def of(self, kind: type[Kind], *, written_in: Path | None = None) -> list[Kind]:
        """The kept objects of `kind`; with `written_in`, only those constructed in that file."""
        return [
            value
            for value in self.objects
            if isinstance(value, kind) and (written_in is None or value.location.path == written_in)
        ]


def kept_objects(module: ModuleType) -> Kept:
    return Kept(tuple(_reachable(value for name, value in vars(module).items() if not name.startswith("_"))))


def _reachable(values: Iterator[object]) -> Iterator[Definition]:
    """DSL objects among `values` and inside the lists, tuples and dicts among them, depth first, each once."""
    seen: set[int] = set()
    pending: list[Iterator[object]] = [values]
    while pending:
        value = next(pending[-1], _EXHAUSTED)
        if value is _EXHAUSTED:
            pending.pop()
        elif id(value) in seen:
            continue
        elif isinstance(value, Definition):
            seen.add(id(value))
            yield value
        elif isinstance(value, list | tuple | dict):
            seen.add(id(value))
            pending.append(iter(value.values() if isinstance(value, dict) else value))


_EXHAUSTED = object()
