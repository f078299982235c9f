"""YAML input read as nodes that remember their line, so every problem names the input file and line."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compiler.import_command.input_files import read_input_text
from compiler.import_command.yaml_composer import YamlLimitError, compose_documents
from compiler.problems import CompileError, Problem, SourceLocation

_SHOWN = 40
"""Characters of a scalar a message quotes: enough to recognise it, never a screenful."""
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(f"{_YAML_TAG_PREFIX}{name}" for name in ("str", "int", "float", "bool", "null"))
"""Tags a plain scalar resolves to, not worth naming in a message; any other tag is shown (`!!python/int`)."""


class InputError(Exception):
    """One problem with the input, raised where it is found and collected by the caller."""

    def __init__(self, message: str, location: SourceLocation) -> None:
        super().__init__(message)
        self.problem = Problem(message, location)


@dataclass(frozen=True)
class YamlNode:
    """A node of a YAML document and the file it came from."""

    node: yaml.Node
    path: Path

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.path, self.node.start_mark.line + 1)

    def fail(self, message: str) -> InputError:
        return InputError(message, self.location)

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == "tag:yaml.org,2002:null"

    def mapping(self, what: str) -> dict[str, YamlNode]:
        """The mapping's entries by key; duplicate keys are refused, as Prometheus refuses them."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.fail(f"{what}: expected a mapping, got {self._kind()}")
        entries: dict[str, YamlNode] = {}
        for key, value in self.node.value:
            name = YamlNode(key, self.path).text(f"{what} key")
            if name in entries:
                raise YamlNode(key, self.path).fail(f"{what}: key {name!r} given twice")
            entries[name] = YamlNode(value, self.path)
        return entries

    def sequence(self, what: str) -> list[YamlNode]:
        """The items of a sequence; null counts as empty, as in Go's YAML decoding."""
        if self.is_null:
            return []
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.fail(f"{what}: expected a list, got {self._kind()}")
        return [YamlNode(item, self.path) for item in self.node.value]

    def text(self, what: str) -> str:
        """A scalar as written: `severity: 1` is the string "1", as Prometheus reads a label value."""
        if not isinstance(self.node, yaml.ScalarNode) or self.is_null:
            raise self.fail(f"{what}: expected a string, got {self._kind()}")
        return str(self.node.value)

    def strings(self, what: str) -> dict[str, str]:
        """A mapping of strings, such as labels or annotations; null counts as empty."""
        if self.is_null:
            return {}
        return {name: value.text(f"{what} {name}") for name, value in self.mapping(what).items()}

    def number(self, what: str) -> float:
        value = self._scalar_data()
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"{what}: expected a finite number, got {self._kind()}")
        return value

    def integer(self, what: str) -> int:
        value = self._scalar_data()
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{what}: expected an integer, got {self._kind()}")
        return value

    def boolean(self, what: str) -> bool:
        value = self._scalar_data()
        if not isinstance(value, bool):
            raise self.fail(f"{what}: expected true or false, got {self._kind()}")
        return value

    def _scalar_data(self) -> Any:
        """A scalar as a YAML loader gives it (a number, a boolean); None for anything the safe loader cannot
        construct (a collection, a `!!python/...` tag, an integer too long to convert)."""
        if not isinstance(self.node, yaml.ScalarNode):
            return None
        try:
            return yaml.constructor.SafeConstructor().construct_object(self.node)
        except (yaml.YAMLError, ValueError):
            return None

    def _kind(self) -> str:
        if isinstance(self.node, yaml.MappingNode):
            return "a mapping"
        if isinstance(self.node, yaml.SequenceNode):
            return "a list"
        if self.is_null:
            return "null"
        value = self.node.value if len(self.node.value) <= _SHOWN else f"{self.node.value[:_SHOWN]}..."
        tag = "" if self.node.tag in _PLAIN_TAGS else f"{self.node.tag.replace(_YAML_TAG_PREFIX, '!!')} "
        return f"{tag}{value!r}"


def check_keys(entries: dict[str, YamlNode], allowed: tuple[str, ...], what: str) -> None:
    """Refuse keys the importer does not know: silently dropping one would change what the rules do."""
    for name, value in entries.items():
        if name not in allowed:
            raise InputError(f"{what}: unknown field {name!r} (expected one of: {', '.join(allowed)})", value.location)


def read_documents(path: Path) -> list[YamlNode]:
    """Every non-empty document of a YAML file (`---` separates several); unreadable input is one problem."""
    text = read_input_text(path)
    try:
        nodes = list(compose_documents(text))
    except YamlLimitError as error:
        raise CompileError([Problem(error.message, SourceLocation(path, error.line))]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = error.problem or error.context or "invalid YAML"
        raise CompileError([Problem(f"not valid YAML: {reason}", SourceLocation(path, line))]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        reason = f"character U+{code:04X} is not allowed ({error.reason})"
        raise CompileError([Problem(f"not valid YAML: {reason}", SourceLocation(path, line))]) from None
    except yaml.YAMLError as error:
        reason = " ".join(str(error).split())
        raise CompileError([Problem(f"not valid YAML: {reason}", SourceLocation(path, 1))]) from None
    documents = [YamlNode(node, path) for node in nodes if node is not None]
    return [document for document in documents if not document.is_null]
