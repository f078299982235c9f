"""What every command does first: read the settings, refuse a dangerous build_dir, recover a killed run."""

from __future__ import annotations

import click

from compiler.load.source_folders import check_source_folders
from compiler.output.placement import check_placement
from compiler.output.recovery import recovered
from compiler.settings.project import Project, load_project


def open_project(context: click.Context, *, reads_sources: bool = True) -> Project:
    """The project of this command, held (against concurrent recovery) until the command ends."""
    project = load_project(context.obj["project_dir"])
    if reads_sources:
        check_source_folders(project)
    check_placement(project)
    for note in context.with_resource(recovered(project.root, project.build_dir)):
        click.echo(f"moncc: {note}", err=True)
    return project
