"""Load `rules_src/`: the rule groups and SLOs each module keeps, its metrics, and what it made but lost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compiler.dsl.alertmanager.config import Alertmanager
from compiler.dsl.definition import Definition, recording_definitions
from compiler.dsl.metrics import Metric
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.slo import SLO
from compiler.load.collector import Kept, kept_objects
from compiler.load.metrics import Catalogue, build_catalogue
from compiler.load.source_modules import import_sources
from compiler.problems import Problem

_ALERTMANAGER_DSL = "compiler.dsl.alertmanager."


@dataclass(frozen=True)
class RuleModule:
    """One source module and the groups it defines; it becomes one rule file and one CRD."""

    name: str
    """The module's path below the rules folder without `.py`, e.g. `api` or `team/payments`."""
    path: Path
    source: str
    """The module's path relative to the repository root, as written into generated files."""
    groups: tuple[RuleGroup, ...]
    slos: tuple[SLO, ...] = ()


@dataclass(frozen=True)
class LoadedRules:
    modules: tuple[RuleModule, ...]
    catalogue: Catalogue
    problems: tuple[Problem, ...]
    alertmanager: Alertmanager | None = None
    """The project's one Alertmanager configuration, kept by any module of the rules folder."""


def load_rules(root: Path, rules_dir: Path, debug: bool = False) -> LoadedRules:
    """Import every module below `rules_dir`; modules whose name starts with `_` are helpers, not emitted."""
    with recording_definitions() as created:
        sources, problems = import_sources(root, rules_dir, debug)
    emitting = {source.path for source in sources if not source.helper}
    kept = {source.path: kept_objects(source.module) for source in sources}
    metrics = {
        id(metric): metric for source in sources for metric in kept[source.path].of(Metric, written_in=source.path)
    }
    collected = {
        source.path: _collect(kept[source.path], source.path, emitting) for source in sources if not source.helper
    }
    used = {id(used) for groups, slos, _ in collected.values() for used in [*groups, *slos]}
    used |= {id(rule) for group in created if isinstance(group, RuleGroup) for rule in group.rules}
    alertmanagers = list(
        {id(config): config for module in kept.values() for config in module.of(Alertmanager)}.values()
    )
    problems.extend(_second_alertmanagers(alertmanagers))
    used |= {id(part) for config in alertmanagers for part in _parts(config)}
    created_in: dict[Path, list[Definition]] = defaultdict(list)
    for definition in created:
        created_in[definition.location.path].append(definition)
    modules: list[RuleModule] = []
    for source in sources:
        if source.helper:
            continue
        groups, slos, found = collected[source.path]
        problems.extend(found)
        problems.extend(_not_kept(created_in[source.path], used))
        if groups or slos:
            modules.append(RuleModule(source.stem, source.path, source.source, tuple(groups), tuple(slos)))
    problems.extend(_duplicate_slos(modules))
    catalogue, catalogue_problems = build_catalogue(metrics.values())
    problems.extend(catalogue_problems)
    return LoadedRules(tuple(modules), catalogue, tuple(problems), alertmanagers[0] if alertmanagers else None)


def _second_alertmanagers(found: list[Alertmanager]) -> list[Problem]:
    """A project has one Alertmanager configuration: with a second, which one is emitted would be unclear."""
    return [
        Problem(
            f"alertmanager: a project has one Alertmanager configuration (first at {found[0].location})", other.location
        )
        for other in found[1:]
    ]


def _parts(definition: Definition) -> Iterator[Definition]:
    """The definition and every DSL object inside it, at any depth."""
    yield definition
    for name in type(definition).model_fields:
        value = getattr(definition, name)
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, Definition):
                yield from _parts(item)


def _not_kept(created: list[Definition], kept: set[int]) -> Iterator[Problem]:
    """Groups, SLOs and rules a module made but keeps nowhere moncc looks: they would vanish silently."""
    for definition in created:
        if id(definition) in kept:
            continue
        if isinstance(definition, Alert | Record):
            yield Problem(
                f"{definition.title}: not in any RuleGroup, so it would never be emitted; add it to a group",
                definition.location,
            )
        elif isinstance(definition, RuleGroup | SLO | Alertmanager):
            yield Problem(
                f"{definition.title}: not kept where moncc looks for it (a module-level name, or a list, tuple or"
                " dict held by one), so it would never be emitted",
                definition.location,
            )
        elif type(definition).__module__.startswith(_ALERTMANAGER_DSL):
            yield Problem(
                f"{definition.title}: not part of the Alertmanager configuration, so it would never be emitted",
                definition.location,
            )


def _duplicate_slos(modules: list[RuleModule]) -> list[Problem]:
    """Sloth identifies an SLO by service and name; two alike would record clashing series."""
    first_by_id: dict[str, SLO] = {}
    problems = []
    for slo in (slo for module in modules for slo in module.slos):
        first = first_by_id.setdefault(slo.slo_id, slo)
        if first is not slo:
            problems.append(
                Problem(f"slo {slo.slo_id}: service and name already used at {first.location}", slo.location)
            )
    return problems


def _collect(kept: Kept, path: Path, emitting: set[Path]) -> tuple[list[RuleGroup], list[SLO], list[Problem]]:
    """The module's own groups and SLOs in definition order, and the groups whose names clash.

    An object written in another emitting module belongs to that module (it was imported here);
    one built by a helper belongs to whichever module keeps it at top level.
    """

    def owned(value: Definition) -> bool:
        return value.location.path == path or value.location.path not in emitting

    groups = [group for group in kept.of(RuleGroup) if owned(group)]
    slos = [slo for slo in kept.of(SLO) if owned(slo)]
    problems: list[Problem] = []
    first_by_name: dict[str, RuleGroup] = {}
    for group in groups:
        first = first_by_name.setdefault(group.name, group)
        if first is not group:
            problems.append(
                Problem(f"{group.title}: defined twice in this module (first at {first.location})", group.location)
            )
    return groups, slos, problems
