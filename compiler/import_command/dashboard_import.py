"""`moncc import dashboard`: Grafana dashboard JSON files → one module each in the dashboards folder, building the
dashboard with Grafana's typed model (`compiler.grafana`).

A file goes: read with every object's line (`dashboard_json`) → migrated when it is a legacy AngularJS dashboard
(`compiler.grafana.legacy`, the way Grafana migrates it) → its datasources pointed at the project's variable
(`dashboard_inputs`) → query fields no Grafana reads dropped (`dashboard_leftovers`) → parsed into the model →
written as the calls that construct it (`dashboard_source`).
Every file is read and converted before anything is written, so one bad file leaves the project untouched.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from compiler.grafana.legacy import migrate_dashboard
from compiler.grafana.panels import angular_successor
from compiler.grafana.parse import ModelProblem, parse_dashboard
from compiler.import_command.dashboard_inputs import recorded_series_read, with_project_datasource
from compiler.import_command.dashboard_json import DashboardFile, read_dashboard
from compiler.import_command.dashboard_leftovers import without_unread_query_fields
from compiler.import_command.dashboard_source import dashboard_module_source
from compiler.import_command.dashboard_text_exemptions import exempted_from_ambiguous_text
from compiler.import_command.output import write_modules
from compiler.import_command.ruff_layout import Layout, ruff_layout
from compiler.problems import CompileError, Problem, SourceLocation, display_path
from compiler.settings.grafana import GrafanaSettings
from compiler.settings.project import Project

MODERN_SCHEMA_VERSION = 27
"""From this schemaVersion on (Grafana 8), a dashboard holds no AngularJS panel Grafana would migrate by itself."""
_EXTERNAL_RECORDS = "external_records"


def import_dashboards(files: Iterable[Path], project: Project, force: bool) -> list[Path]:
    """Write a module per file and return their paths, or raise every problem of every file, writing nothing."""
    modules: dict[Path, str] = {}
    origins: dict[Path, Path] = {}
    problems: list[Problem] = []
    layout: Layout | None = None
    for file in files:
        try:
            source = read_dashboard(file)
        except CompileError as error:
            problems.extend(error.problems)
            continue
        title = str(source.document["title"])
        name = module_name(title, file.stem)
        target = project.dashboards_dir / f"{name}.py"
        if target in origins:
            message = (
                f"{display_path(origins[target])} is also imported as {display_path(target)}; "
                "give one of them another title"
            )
            problems.append(Problem(message, SourceLocation(file, 1)))
            continue
        layout = layout or ruff_layout(project.dashboards_dir)
        try:
            text = exempted_from_ambiguous_text(_module(source, name, project.settings.grafana, layout), target)
            modules[target] = layout.exempted(text, target)
        except CompileError as error:
            problems.extend(error.problems)
            continue
        origins[target] = file
    if problems:
        raise CompileError(problems)
    return write_modules(modules, force)


def is_legacy(document: dict[str, Any]) -> bool:
    """Whether Grafana would migrate the dashboard when it loads it: an old schema, Grafana 4 rows, or a panel
    of an AngularJS type."""
    version = document.get("schemaVersion")
    if not isinstance(version, int) or version < MODERN_SCHEMA_VERSION or document.get("rows"):
        return True
    panels = [*(document.get("panels") or [])]
    while panels:
        panel = panels.pop()
        if isinstance(panel, dict):
            if isinstance(panel.get("type"), str) and angular_successor(panel["type"]) is not None:
                return True
            panels.extend(panel.get("panels") or [])
    return False


def _module(source: DashboardFile, name: str, settings: GrafanaSettings, layout: Layout) -> str:
    """The module text for one dashboard file, or a `CompileError` at the lines of what the model refuses."""
    document, choices = source.document, []
    legacy = is_legacy(document)
    if legacy:
        migrated = migrate_dashboard(document)
        document, choices = migrated.document, [f"migrated: {line}" for line in migrated.choices]
    prepared = with_project_datasource(document, settings)
    cleaned, dropped = without_unread_query_fields(prepared.document)
    parsed = parse_dashboard(cleaned)
    if parsed.dashboard is None:
        raise CompileError([_located(source, problem, legacy) for problem in parsed.problems])
    notes = [*choices, *prepared.choices, *dropped]
    assignments: list[tuple[str, Any]] = []
    records = recorded_series_read(prepared.document)
    if records:
        notes.append(f"{_EXTERNAL_RECORDS}: recorded series the dashboard reads; another Prometheus records them")
        assignments.append((_EXTERNAL_RECORDS, records))
    assignments.append((name, parsed.dashboard))
    if notes:
        notes.insert(0, f"Imported from {source.path.name} with these choices:")
    docstring = f"{source.document['title']}: imported from {source.path.name} by `moncc import dashboard`."
    return dashboard_module_source(docstring, notes, assignments, layout.width)


def _located(source: DashboardFile, problem: ModelProblem, migrated: bool) -> Problem:
    """A model problem at the line of the panel it is in, else the dashboard's. A migrated dashboard's panels
    are new objects in a new order: the input's first panel of that title stands for it."""
    title = problem.panel_title
    panel: Any = None
    if problem.panel_path is not None and not migrated:
        panel = {"panels": source.document.get("panels")}
        for index in problem.panel_path:
            panel = panel["panels"][index]
    elif title is not None:
        panel = _panel_titled(source.document, title)
    subject = f"panel {title!r}: " if title is not None else ""
    return source.problem(panel if panel is not None else source.document, f"{subject}{problem.message}")


def _panel_titled(document: dict[str, Any], title: str) -> dict[str, Any] | None:
    """The first panel of that title, in `panels`, in rows' panels, or in Grafana 4 rows."""
    found = [*(document.get("panels") or []), *(document.get("rows") or [])]
    while found:
        panel = found.pop(0)
        if isinstance(panel, dict):
            if panel.get("title") == title and "type" in panel:
                return panel
            found.extend(panel.get("panels") or [])
    return None


def module_name(title: str, stem: str) -> str:
    """A module (and variable) name from the title, else the file name: lowercase letters, digits and `_`.

    It never starts with `_` (such modules are helpers, never emitted) and holds no path separator, so the
    module always lands directly in the dashboards folder.
    """
    for text in (title, stem):
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        name = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
        if name:
            break
    else:
        name = "dashboard"
    if name[0].isdigit():
        name = f"dashboard_{name}"
    return f"{name}_" if keyword.iskeyword(name) or name == _EXTERNAL_RECORDS else name
