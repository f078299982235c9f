"""Collect the dashboards each module of `dashboards_src/` keeps at module level (or in lists): grafanalib
`Dashboard`s and dashboards of moncc's typed Grafana model (`compiler.grafana.dashboard.Dashboard`, what
`moncc import dashboard` writes).

grafanalib objects do not record where they were made, so the location is read from the module's syntax tree:
the line of the top-level assignment that binds the name (or, for a list literal, the line of the element), and
for a panel the line of the call that gives it its title (`TimeSeries(title="Latency", ...)`), when that title is
written once in the module as a literal.
This was chosen over wrapping `grafanalib.core.Dashboard.__init__` because patching a third-party class changes
it for every caller in the process (tests, other tools, user code run after a build), while reading the AST is
side-effect free and points at the line the author reads as "this dashboard": `api = Dashboard(...)`, even when a
helper function in another module built the object.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, TypeVar

from grafanalib.core import Dashboard
from pydantic import AfterValidator, TypeAdapter, ValidationError

from compiler.dsl.lint_ignore import LintIgnore
from compiler.dsl.syntax import check_metric_name
from compiler.grafana.dashboard import Dashboard as GrafanaDashboard
from compiler.load.source_modules import import_sources
from compiler.problems import Problem, SourceLocation

FOLDER_VARIABLE = "grafana_folder"
"""A module-level string naming the Grafana folder of the module's dashboards (default: the module's name)."""
EXTERNAL_RECORDS_VARIABLE = "external_records"
"""A module-level list of recorded series its dashboards read that another Prometheus records (not this build)."""
LINT_IGNORE_VARIABLE = "lint_ignore"
"""A module-level `{check name: reason}` turning lint checks off for the module's dashboards."""
_LINT_IGNORE: TypeAdapter[dict[str, str]] = TypeAdapter(LintIgnore)
_Value = TypeVar("_Value")
_EXTERNAL_RECORDS: TypeAdapter[list[Annotated[str, AfterValidator(check_metric_name)]]] = TypeAdapter(
    list[Annotated[str, AfterValidator(check_metric_name)]]
)


@dataclass(frozen=True)
class LocatedDashboard:
    """A grafanalib dashboard and the line of the source module that keeps it."""

    dashboard: Any
    location: SourceLocation

    @property
    def title(self) -> str:
        return str(self.dashboard.title)

    def panel_location(self, title: str | None) -> SourceLocation:
        """Where the author reads the panel titled `title`: its own call, else the dashboard. Worked out only
        when a problem is reported: walking a module's syntax tree costs more than building its dashboards."""
        line = _title_lines(_source_text(self.location.path)).get(title) if title is not None else None
        return self.location if line is None else SourceLocation(self.location.path, line)


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
    external_records: frozenset[str] = frozenset()
    """The module's `external_records`: recorded series its dashboards may read that this build does not record."""


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
        lint_ignore = _setting(source.module, source.path, LINT_IGNORE_VARIABLE, _LINT_IGNORE, {})
        external = _setting(source.module, source.path, EXTERNAL_RECORDS_VARIABLE, _EXTERNAL_RECORDS, [])
        if isinstance(lint_ignore, Problem) or isinstance(external, Problem):
            problems.extend(found for found in (lint_ignore, external) if isinstance(found, Problem))
            continue
        dashboards = tuple(_collect(source.module, source.path))
        if dashboards:
            modules.append(
                DashboardModule(
                    source.stem, source.path, source.source, folder, dashboards, lint_ignore, frozenset(external)
                )
            )
    return LoadedDashboards(tuple(modules), tuple(problems))


def _setting(
    module: ModuleType, path: Path, name: str, adapter: TypeAdapter[_Value], unset: _Value
) -> _Value | Problem:
    """A module-level setting validated, or one problem at the line that assigns it."""
    try:
        return adapter.validate_python(getattr(module, name, unset))
    except ValidationError as error:
        where = SourceLocation(path, _assignment_lines(_syntax_tree(path)).get(name, (1, []))[0])
        reason = "; ".join(str(detail["msg"]).removeprefix("Value error, ") for detail in error.errors())
        return Problem(f"{name}: {reason}", where)


def _folder(module: ModuleType, stem: str, path: Path) -> str | Problem:
    folder = getattr(module, FOLDER_VARIABLE, None)
    if folder is None:
        return stem.replace("/", "-")
    if not isinstance(folder, str) or not folder.strip():
        lines = _assignment_lines(_syntax_tree(path))
        where = SourceLocation(path, lines.get(FOLDER_VARIABLE, (1, []))[0])
        return Problem(f"{FOLDER_VARIABLE} must be a non-empty string, got {folder!r}", where)
    return folder


def _collect(module: ModuleType, path: Path) -> Iterator[LocatedDashboard]:
    """The module's dashboards in definition order, each once, located by its top-level name."""
    lines = _assignment_lines(_syntax_tree(path))
    seen: set[int] = set()
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        line, element_lines = lines.get(name, (1, []))
        items: list[object] = list(value) if isinstance(value, list | tuple) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, Dashboard | GrafanaDashboard) or id(item) in seen:
                continue
            seen.add(id(item))
            item_line = element_lines[index] if len(element_lines) == len(items) else line
            yield LocatedDashboard(item, SourceLocation(path, item_line))


def _syntax_tree(path: Path) -> ast.Module | None:
    return _parsed(_source_text(path), str(path))


def _source_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""


def _parsed(source: str, filename: str) -> ast.Module | None:
    try:
        return ast.parse(source, filename=filename)
    except (SyntaxError, ValueError):
        return None


@lru_cache(maxsize=64)
def _title_lines(source: str) -> dict[str, int]:
    """Every `title="..."` literal of a call, by its text, when the module writes that title only once. Keyed by
    the module's text, so a module rewritten between two builds of one process is read afresh."""
    tree = _parsed(source, "<dashboards module>")
    found: dict[str, list[int]] = {}
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                title = keyword.value.value if isinstance(keyword.value, ast.Constant) else None
                if keyword.arg == "title" and isinstance(title, str):
                    found.setdefault(title, []).append(node.lineno)
    return {title: lines[0] for title, lines in found.items() if len(lines) == 1}


def _assignment_lines(tree: ast.Module | None) -> dict[str, tuple[int, list[int]]]:
    """For every name bound at the top of the module: the line binding it and, for a list or tuple literal,
    the line of each element. The last binding wins, as it does for the module's namespace."""
    if tree is None:
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
