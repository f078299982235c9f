"""How `moncc import alertmanager` reads the YAML of a configuration: only the fields the DSL has (one it does not
have is refused at its line, never dropped: Alertmanager would act on it), and every problem collected rather
than the first raised, each at the line of the field it is about."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml

from compiler.import_command.yaml_documents import InputError, YamlNode
from compiler.problems import CompileError, DefinitionError, Problem

Read = TypeVar("Read")

YAML_KEYS = {"time_zone": "location", "source": "source_matchers", "target": "target_matchers"}
"""DSL fields named differently in Alertmanager's YAML, to point a DSL problem at the line it is about."""


@dataclass
class Problems:
    """The problems found so far in one configuration, shared by everything that reads a part of it."""

    found: list[Problem] = field(default_factory=list)

    def attempt(self, read: Callable[..., Read], node: YamlNode, *arguments: Any) -> Read | None:
        """`read(node, ...)`, or None with its problems recorded."""
        try:
            return read(node, *arguments)
        except InputError as error:
            self.found.append(error.problem)
        except CompileError as error:
            self.found.extend(error.problems)
        except DefinitionError as error:
            self.found.extend(_relocated(error, node))
        return None

    def each(
        self, entries: dict[str, YamlNode], key: str, read: Callable[[YamlNode], Read | None]
    ) -> list[Read] | None:
        """What `read` makes of every item of the list under `key`; None when any has problems (recorded)."""
        items = self.attempt(YamlNode.sequence, entries[key], key) if key in entries else []
        if items is None:
            return None
        found = [self.attempt(read, item) for item in items]
        return None if any(each is None for each in found) else [each for each in found if each is not None]


def known_entries(node: YamlNode, allowed: Sequence[str], what: str, also: Sequence[str] = ()) -> dict[str, YamlNode]:
    """The mapping's entries; a field the DSL does not have is refused at its line. Fields in `also` are
    accepted unnamed: an empty list of an integration the DSL lacks."""
    entries = node.mapping(what)
    for key, _ in node.node.value:
        if key.value not in allowed and key.value not in also:
            raise YamlNode(key, node.path).fail(f"{what}: {_not_in_dsl(key.value, allowed)}")
    return entries


def texts(node: YamlNode | None, what: str) -> list[str]:
    return [] if node is None else [item.text(what) for item in node.sequence(what)]


def optional_text(entries: dict[str, YamlNode], key: str) -> str | None:
    return entries[key].text(key) if key in entries and not entries[key].is_null else None


def _not_in_dsl(key: str, allowed: Sequence[str]) -> str:
    return f"{key!r} is not in moncc's Alertmanager DSL (it has: {', '.join(sorted(allowed))})"


def _relocated(error: DefinitionError, node: YamlNode) -> list[Problem]:
    """The DSL's problems, each at the line of the field it is about (`slack: channel: ...`), when it has one."""
    entries = node.mapping("") if isinstance(node.node, yaml.MappingNode) else {}
    relocated = []
    for problem in error.problems:
        if problem.location != node.location:
            relocated.append(problem)
            continue
        field_name = problem.message.split(": ", 2)[1].split(".")[0] if problem.message.count(": ") >= 2 else ""
        keys = (YAML_KEYS.get(field_name, field_name), f"{field_name}_file")
        where = next((entries[key].location for key in keys if key in entries), node.location)
        relocated.append(Problem(problem.message, where))
    return relocated
