"""`moncc lint FILE...`: findings of the given source files only, the model still built from every module.

A pre-commit hook passes the files a commit changes; a cross-file check (a dashboard reading a record another
module defines, two records of one series) must still see the whole project to judge them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from compiler.lint.findings import Finding
from compiler.problems import CompileError, Problem, display_path
from compiler.settings.project import Project


def selected_paths(project: Project, paths: Sequence[Path]) -> tuple[Path, ...]:
    """The given files (or folders), resolved; a path outside the source folders is a problem each."""
    folders = (project.rules_dir.resolve(), project.dashboards_dir.resolve())
    selected = tuple(path.resolve() for path in paths)
    outside = [
        Problem(
            f"{display_path(given)}: not in {project.settings.rules_dir}/ or {project.settings.dashboards_dir}/: "
            "moncc lint reports on source modules only"
        )
        for given, path in zip(paths, selected, strict=True)
        if not any(path == folder or path.is_relative_to(folder) for folder in folders)
    ]
    if outside:
        raise CompileError(outside)
    return selected


def findings_in(findings: Sequence[Finding], selected: Sequence[Path]) -> list[Finding]:
    """The findings located in a selected file or below a selected folder."""
    chosen = frozenset(selected)
    resolved: dict[Path, bool] = {}

    def wanted(path: Path) -> bool:
        if path not in resolved:
            real = path.resolve()
            resolved[path] = real in chosen or any(real.is_relative_to(each) for each in chosen)
        return resolved[path]

    return [finding for finding in findings if wanted(finding.location.path)]
