"""Collect the grafanalib `Dashboard`s each module of `dashboards_src/` keeps at module level (or in lists).

grafanalib objects do not record where they were made, so the location is read from the module's syntax tree:
the line of the top-level assignment that binds the name (or, for a list literal, the line of the element).
This was chosen over wrapping `grafanalib.core.Dashboard.__init__` because patching a third-party class changes
it for every caller in the process (tests, other tools, user code run after a build), while reading the AST is
side-effect free and points at the line the author reads as "this dashboard": `api = Dashboard(...)`, even when a
helper function in another module built the object.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grafanalib.core import Dashboard
from pydantic import TypeAdapter, ValidationError

from compiler.dsl.lint_ignore import LintIgnore
from compiler.load.source_modules import import_sources
from compiler.problems import Problem, SourceLocation

FOLDER_VARIABLE = "grafana_folder"
"""A module-level string naming the Grafana folder of the module's dashboards (default: the module's name)."""
LINT_IGNORE_VARIABLE = "lint_ignore"
"""A module-level `{check name: reason}` turning lint checks off for the module's dashboards."""
_LINT_IGNORE: TypeAdapter[dict[str, str]] = TypeAdapter(LintIgnore)


@dataclass(frozen=True)
class LocatedDashboard:
    """A grafanalib dashboard and the line of the source module that keeps it."""

    dashboard: Any
    location: SourceLocation

    @property
    def title(self) -> str:
        return str(self.dashboard.title)


@dataclass(frozen=True)
class DashboardModule:
    """One source module of `dashboards_src/` and the dashboards it defines."""

    name: str
    """The module's path below the dashboards folder without `.py`, e.g. `api` or `team/payments`."""
    path: Path
    source: str
    """The module's path relative to the repository root, as written into generated files."""
    folder: str
    """The Grafana folder its dashboards go to: the module's `grafana_folder`, else its name with `/` as `-`."""
    dashboards: tuple[LocatedDashboard, ...]
    lint_ignore: Mapping[str, str] = field(default_factory=dict)
    """The module's `lint_ignore`: lint checks turned off for its dashboards, each with the reason."""


@dataclass(frozen=True)
class LoadedDashboards:
    modules: tuple[DashboardModule, ...]
    problems: tuple[Problem, ...]

    @property
    def dashboards(self) -> Iterator[tuple[DashboardModule, LocatedDashboard]]:
        return ((module, located) for module in self.modules for located in module.dashboards)


def load_dashboards(root: Path, dashboards_dir: Path, debug: bool = False) -> LoadedDashboards:
    """Import every module below `dashboards_dir`; modules whose name starts with `_` are helpers, not emitted."""
    sources, problems = import_sources(root, dashboards_dir, debug)
    modules: list[DashboardModule] = []
    for source in sources:
        if source.helper:
            continue
        folder = _folder(source.module, source.stem, source.path)
        if isinstance(folder, Problem):
            problems.append(folder)
            continue
        lint_ignore = _lint_ignore(source.module, source.path)
        if isinstance(lint_ignore, Problem):
            problems.append(lint_ignore)
            continue
        dashboards = tuple(_collect(source.module, source.path))
        if dashboards:
            modules.append(DashboardModule(source.stem, source.path, source.source, folder, dashboards, lint_ignore))
    return LoadedDashboards(tuple(modules), tuple(problems))


def _lint_ignore(module: ModuleType, path: Path) -> dict[str, str] | Problem:
    try:
        return _LINT_IGNORE.validate_python(getattr(module, LINT_IGNORE_VARIABLE, {}))
    except ValidationError as error:
        where = SourceLocation(path, _assignment_lines(path).get(LINT_IGNORE_VARIABLE, (1, []))[0])
        reason = "; ".join(str(detail["msg"]).removeprefix("Value error, ") for detail in error.errors())
        return Problem(f"{LINT_IGNORE_VARIABLE}: {reason}", where)


def _folder(module: ModuleType, stem: str, path: Path) -> str | Problem:
    folder = getattr(module, FOLDER_VARIABLE, None)
    if folder is None:
        return stem.replace("/", "-")
    if not isinstance(folder, str) or not folder.strip():
        lines = _assignment_lines(path)
        where = SourceLocation(path, lines.get(FOLDER_VARIABLE, (1, []))[0])
        return Problem(f"{FOLDER_VARIABLE} must be a non-empty string, got {folder!r}", where)
    return folder


def _collect(module: ModuleType, path: Path) -> Iterator[LocatedDashboard]:
    """The module's dashboards in definition order, each once, located by its top-level name."""
    lines = _assignment_lines(path)
    seen: set[int] = set()
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        line, element_lines = lines.get(name, (1, []))
        items: list[object] = list(value) if isinstance(value, list | tuple) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, Dashboard) or id(item) in seen:
                continue
            seen.add(id(item))
            item_line = element_lines[index] if len(element_lines) == len(items) else line
            yield LocatedDashboard(item, SourceLocation(path, item_line))


def _assignment_lines(path: Path) -> dict[str, tuple[int, list[int]]]:
    """For every name bound at the top of the module: the line binding it and, for a list or tuple literal,
    the line of each element. The last binding wins, as it does for the module's namespace."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[str, tuple[int, list[int]]] = {}
    for statement in tree.body:
        targets: list[ast.expr]
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        elements = [element.lineno for element in value.elts] if isinstance(value, ast.List | ast.Tuple) else []
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = (statement.lineno, elements)
    return lines
