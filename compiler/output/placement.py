"""Where build/ may be, and when moncc may replace it: a folder of its own, inside the project, made by moncc.

A build replaces the whole folder. Pointed at the project root or a source folder by a careless setting, that
would delete the repository, so such settings are refused before anything is written.
"""

from __future__ import annotations

import os

from compiler.output.stamp import STAMP, made_by_moncc
from compiler.problems import CompileError, Problem
from compiler.settings.project import Project, setting_location


def check_placement(project: Project) -> None:
    """Refuse a build_dir that is the project, lies outside it, or is, holds or sits inside its sources."""
    reason = _misplaced(project)
    if reason is not None:
        _refuse(project, f"{project.settings.build_dir.as_posix()!r} {reason}")


def check_replaceable(project: Project) -> None:
    """Refuse to replace an existing folder that has files but no stamp: moncc did not make it."""
    build_dir = project.build_dir
    if build_dir.is_dir() and not made_by_moncc(build_dir):
        _refuse(
            project,
            f"{project.settings.build_dir.as_posix()!r} holds files but no {STAMP} stamp, so moncc did not make it"
            " and will not replace it: move its files away or choose another folder (a build by moncc 0.1, which"
            " wrote no stamp, can simply be deleted)",
        )


def _misplaced(project: Project) -> str | None:
    root = project.root.resolve()
    if os.path.islink(project.build_dir):
        return "is a symbolic link: name the folder it points to, inside the project"
    build_dir = project.build_dir.resolve()
    if build_dir == root:
        return "is the project root itself: a build replaces its whole folder, so give it one of its own, e.g. 'build'"
    if not build_dir.is_relative_to(root):
        return f"lies outside the project (it resolves to {build_dir})"
    protected = {
        "the rules folder (rules_dir)": project.rules_dir,
        "the dashboards folder (dashboards_dir)": project.dashboards_dir,
        "the git repository (.git)": root / ".git",
    }
    for what, path in protected.items():
        path = path.resolve()
        if build_dir == path:
            return f"is {what}"
        if build_dir.is_relative_to(path):
            return f"lies inside {what}"
        if path.is_relative_to(build_dir):
            return f"contains {what}"
    if build_dir.exists() and not build_dir.is_dir():
        return "is a file, not a folder"
    return None


def _refuse(project: Project, message: str) -> None:
    location = setting_location(project.root / "pyproject.toml", ["build_dir"])
    raise CompileError([Problem(f"[tool.moncc] build_dir: {message}", location)])
