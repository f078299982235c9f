"""`moncc import dashboard`: Grafana dashboard JSON files → one grafanalib module each in the dashboards folder.

Every file is read and converted before anything is written, so one bad file leaves the project untouched.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from compiler.import_command.dashboard_calls import Call
from compiler.import_command.dashboard_json import DashboardFile, read_dashboard
from compiler.import_command.dashboard_model import dashboard_call
from compiler.import_command.dashboard_source import module_source
from compiler.import_command.output import write_modules
from compiler.problems import CompileError, Problem, SourceLocation, display_path
from compiler.settings.grafana import GrafanaSettings
from compiler.settings.project import Project

_REASON_LENGTH = 80


def import_dashboards(files: Iterable[Path], project: Project, force: bool) -> list[Path]:
    """Write a module per file and return their paths, or raise every problem of every file, writing nothing."""
    modules: dict[Path, str] = {}
    origins: dict[Path, Path] = {}
    problems: list[Problem] = []
    for file in files:
        try:
            source = read_dashboard(file)
            call = _converted(source, project.settings.grafana)
        except CompileError as error:
            problems.extend(error.problems)
            continue
        title = str(source.document["title"])
        name = module_name(title, file.stem)
        target = project.dashboards_dir / f"{name}.py"
        if target in origins:
            problems.append(
                Problem(
                    f"{display_path(origins[target])} is also imported as {display_path(target)}; "
                    "give one of them another title",
                    SourceLocation(file, 1),
                )
            )
            continue
        origins[target] = file
        modules[target] = module_source(name, call, f"{title}: imported from {file.name} by `moncc import dashboard`.")
    if problems:
        raise CompileError(problems)
    return write_modules(modules, force)


def _converted(source: DashboardFile, settings: GrafanaSettings) -> Call:
    """`dashboard_call`, with a field of a shape nobody checked as one problem rather than a traceback.

    `dashboard_shape` checks the fields every dashboard has; legacy panels (`graph`, `singlestat`) are
    migrated by the emitter from many more, and a wrong type deep inside one must still end in one line.
    """
    try:
        return dashboard_call(source, settings)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        reason = " ".join(str(error).split())[:_REASON_LENGTH]
        message = f"cannot import: a field has a JSON type moncc does not expect ({type(error).__name__}: {reason})"
        raise CompileError([source.problem(source.document, message)]) from None


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
    return f"{name}_" if keyword.iskeyword(name) else name
