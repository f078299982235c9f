"""What every command does first: find the project, read its settings, refuse a dangerous build_dir, recover a
killed run."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.load.source_folders import check_source_folders
from compiler.output.placement import check_placement
from compiler.output.recovery import recovered
from compiler.settings.project import Project, find_project, load_project, require_project


def open_project(context: click.Context, *, reads_sources: bool = True) -> Project:
    """The project of this command, held (against concurrent recovery) until the command ends.

    `--project` names it; without it, the nearest folder at or above the working directory whose pyproject.toml
    has a `[tool.moncc]` table is the project, so moncc run in `rules_src/` builds the repository's `build/`.
    """
    given: Path | None = context.obj["project_dir"]
    project = load_project(find_project(Path.cwd()) if given is None else require_project(given))
    if reads_sources:
        check_source_folders(project)
    check_placement(project)
    for note in context.with_resource(recovered(project.root, project.build_dir)):
        click.echo(f"moncc: {note}", err=True)
    return project
