"""`moncc init [DIR]`: write a new project, or nothing at all when one of its files is already there."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.init_command.project_files import project_files
from compiler.problems import CompileError, Problem, display_path
from compiler.reporting import reporting


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """Start a project in DIRECTORY (default: here): settings, a metrics catalogue, an alert with its tests, an
    SLO, a dashboard, Alertmanager routing, pre-commit hooks and a GitHub Actions workflow."""
    with reporting():
        written = write_project(directory)
    click.echo(f"wrote {len(written)} files into {display_path(directory.resolve())}/:")
    for path in written:
        click.echo(f"  {path}")
    click.echo("next: moncc build && moncc test && moncc lint")


def write_project(directory: Path) -> list[Path]:
    """Write every file of a new project into `directory`; refuse, writing nothing, if one of them exists."""
    created = project_files(directory.resolve().name)
    targets = {directory / relative: text for relative, text in created.items()}
    existing = [path for path in targets if path.exists() or path.is_symlink()]
    if existing:
        names = ", ".join(display_path(path) for path in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        raise CompileError([Problem(f"{names} {verb}: moncc init writes nothing over a file, so it wrote nothing")])
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [Path(relative) for relative in created]
