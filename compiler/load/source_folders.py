"""The source folders must exist: a typo in a setting, or a project without sources, would build nothing."""

from __future__ import annotations

from compiler.problems import CompileError, Problem
from compiler.settings.project import Project, setting_location


def check_source_folders(project: Project) -> None:
    """Refuse a source folder set in pyproject.toml that is missing, and a project with no sources at all."""
    folders = {"rules_dir": project.rules_dir, "dashboards_dir": project.dashboards_dir}
    pyproject = project.root / "pyproject.toml"
    problems = [
        Problem(
            f"[tool.moncc] {setting}: {getattr(project.settings, setting).as_posix()!r} is not a folder",
            setting_location(pyproject, [setting]),
        )
        for setting, folder in folders.items()
        if setting in project.settings.model_fields_set and not folder.is_dir()
    ]
    if not problems and not any(folder.is_dir() for folder in folders.values()):
        problems.append(
            Problem(
                f"nothing to compile in {project.root}: neither {project.settings.rules_dir.as_posix()}/ nor"
                f" {project.settings.dashboards_dir.as_posix()}/ exists (create one, or name the source folders"
                " with rules_dir and dashboards_dir)",
                setting_location(pyproject, []),
            )
        )
    if problems:
        raise CompileError(problems)
