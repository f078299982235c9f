"""A dashboard of Grafana's typed model written as the Python module that constructs it.

One constructor call per object, with only the fields that differ from Grafana's defaults (`changed_fields`), so
an imported module reads like one written by hand: no `None`, no empty defaults. The walk is generic over the
model's pydantic classes: a new panel kind or option object imports with no change here. What an open object
(`OpenObject`: a plugin's options, another datasource's query) holds beyond its fields is passed as keywords
(in `**{...}` when its name is no Python keyword name).
"""

from __future__ import annotations

import importlib
import keyword
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from compiler.grafana.objects import GrafanaObject
from compiler.import_command.python_source import Call, Renderer, docstring_literal, import_line


def changed_values(model: BaseModel) -> dict[str, Any]:
    """The model's fields that differ from their defaults, by Python name in declaration order, then its extras."""
    fields = type(model).model_fields
    if isinstance(model, GrafanaObject):
        by_alias = model.changed_fields()
        changed = {
            name: by_alias[info.alias or name] for name, info in fields.items() if (info.alias or name) in by_alias
        }
    else:
        changed = {
            name: getattr(model, name)
            for name, info in fields.items()
            if name in model.model_fields_set and getattr(model, name) != info.get_default(call_default_factory=True)
        }
    return {**changed, **(model.model_extra or {})}


def _models(value: Any) -> Iterator[BaseModel]:
    """Every model object inside `value`, itself included."""
    if isinstance(value, BaseModel):
        yield value
        for item in changed_values(value).values():
            yield from _models(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _models(item)


class ClassNames:
    """How the module names each model class it constructs, and the import lines that make those names."""

    def __init__(self, classes: set[type[BaseModel]]) -> None:
        self._names: dict[type[BaseModel], str] = {}
        imports: dict[str, set[str]] = {}
        by_name: dict[str, list[type[BaseModel]]] = {}
        for cls in classes:
            by_name.setdefault(cls.__name__, []).append(cls)
        for name, same_name in by_name.items():
            for cls in same_name:
                module = _public_module(cls)
                if len(same_name) == 1:
                    imports.setdefault(module, set()).add(name)
                    self._names[cls] = name
                else:
                    parent, _, leaf = module.rpartition(".")
                    imports.setdefault(parent, set()).add(leaf)
                    self._names[cls] = f"{leaf}.{name}"
        self.imports = [import_line(module, names) for module, names in sorted(imports.items())]

    def __getitem__(self, cls: type[BaseModel]) -> str:
        return self._names[cls]


def _public_module(cls: type[BaseModel]) -> str:
    """The shortest module path that exports `cls` (a package re-exporting it), else its own module."""
    parts = cls.__module__.split(".")
    for length in range(2, len(parts)):
        candidate = ".".join(parts[:length])
        if getattr(importlib.import_module(candidate), cls.__name__, None) is cls:
            return candidate
    return cls.__module__


def constructed_class(model: BaseModel) -> type[BaseModel]:
    """The class a module calls to make `model`: a generic model's own class (`FieldConfig`, not
    `FieldConfig[GraphFieldConfig]`), which the field holding it narrows again when it validates it."""
    origin = type(model).__pydantic_generic_metadata__["origin"]
    return origin or type(model)


def model_call(value: Any, names: ClassNames) -> Any:
    """`value` as what the renderer writes: models as calls, containers item by item, the rest as literals."""
    if isinstance(value, BaseModel):
        return _call(value, names)
    if isinstance(value, dict):
        return {key: model_call(item, names) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [model_call(item, names) for item in value]
    return value


def _call(model: BaseModel, names: ClassNames) -> Call:
    """The call making `model`; what an open object holds under a name no keyword can spell goes in `**{...}`."""
    values = changed_values(model)
    spelled = {key: model_call(item, names) for key, item in values.items() if _is_keyword_name(key)}
    unspelled = {key: model_call(item, names) for key, item in values.items() if not _is_keyword_name(key)}
    return Call(names[constructed_class(model)], (_Unpacked(unspelled),) if unspelled else (), spelled)


def _is_keyword_name(key: str) -> bool:
    return key.isidentifier() and not keyword.iskeyword(key)


@dataclass(frozen=True)
class _Unpacked:
    """`**{...}` in a call."""

    mapping: dict[str, Any]


class _ModuleRenderer(Renderer):
    def render(self, value: object, depth: int) -> str:
        if isinstance(value, _Unpacked):
            return f"**{super().render(value.mapping, depth)}"
        return super().render(value, depth)


def dashboard_module_source(
    docstring: str, notes: Sequence[str], assignments: Sequence[tuple[str, Any]], width: int
) -> str:
    """The module: docstring, `notes` as a comment block, imports of the model classes used, then one
    `name = value` per assignment (values are model objects or literals), laid out for lines of `width`."""
    classes = {constructed_class(model) for _, value in assignments for model in _models(value)}
    names = ClassNames(classes)
    renderer = _ModuleRenderer(width)
    body = "".join(f"\n{name} = {renderer.render(model_call(value, names), 0)}\n" for name, value in assignments)
    comments = "".join(
        f"# {line}\n" for note in notes for line in textwrap.wrap(note, width - 2, subsequent_indent="  ")
    )
    imports = "".join(f"{line}\n" for line in names.imports)
    return f"{docstring_literal(docstring)}\n\n{comments}{chr(10) if comments else ''}{imports}{body}"
