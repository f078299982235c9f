"""`moncc import ...`: one subcommand per kind of input; each imports its importer when run, so other
commands do not pay for loading them."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.problems import display_path
from compiler.reporting import reporting
from compiler.session import open_project

_INPUT_FILE = click.Path(path_type=Path)
"""No checks here: the importers read each file themselves, and report a directory or a missing file as one
problem line like any other (click's usage error would be several lines)."""


@click.group("import")
def import_group() -> None:
    """Bring existing rule files, SLO specs, dashboard JSON and Alertmanager configurations into the DSL as source
    modules."""


@import_group.command("dashboard")
@click.argument("files", nargs=-1, required=True, type=_INPUT_FILE)
@click.option("--force", is_flag=True, help="Overwrite modules that already exist.")
@click.pass_context
def import_dashboard(context: click.Context, files: tuple[Path, ...], force: bool) -> None:
    """Turn Grafana dashboard JSON files into grafanalib modules in the dashboards folder, one per file."""
    from compiler.import_command.dashboard_import import import_dashboards

    with reporting():
        project = open_project(context, reads_sources=False)
        for path in import_dashboards(files, project, force):
            click.echo(f"wrote {display_path(path)}")


@import_group.command("rules")
@click.argument("files", nargs=-1, required=True, type=_INPUT_FILE)
@click.option(
    "--tests",
    "tests_files",
    type=_INPUT_FILE,
    multiple=True,
    help="A promtool test file (repeatable): its tests are attached to the rules they prove.",
)
@click.option("--force", is_flag=True, help="Overwrite modules that already exist.")
@click.pass_context
def import_rules(context: click.Context, files: tuple[Path, ...], tests_files: tuple[Path, ...], force: bool) -> None:
    """Turn Prometheus rule files and PrometheusRule CRDs into DSL modules in the rules folder, one per file."""
    from compiler.import_command.rules_import import import_rule_files

    with reporting():
        project = open_project(context, reads_sources=False)
        for path in import_rule_files(files, tests_files, project, force):
            click.echo(f"wrote {display_path(path)}")


@import_group.command("sloth")
@click.argument("files", nargs=-1, required=True, type=_INPUT_FILE)
@click.option("--force", is_flag=True, help="Overwrite modules that already exist.")
@click.pass_context
def import_sloth(context: click.Context, files: tuple[Path, ...], force: bool) -> None:
    """Turn Sloth SLO specs (prometheus/v1, PrometheusServiceLevel CRDs) into SLO modules in the rules folder."""
    from compiler.import_command.slo_import import import_slo_specs
    from compiler.import_command.sloth import read_sloth

    with reporting():
        project = open_project(context, reads_sources=False)
        for path in import_slo_specs(files, read_sloth, "a Sloth spec by `moncc import sloth`", project, force):
            click.echo(f"wrote {display_path(path)}")


@import_group.command("openslo")
@click.argument("files", nargs=-1, required=True, type=_INPUT_FILE)
@click.option("--force", is_flag=True, help="Overwrite modules that already exist.")
@click.pass_context
def import_openslo(context: click.Context, files: tuple[Path, ...], force: bool) -> None:
    """Turn OpenSLO SLO documents with ratio metrics into SLO modules in the rules folder."""
    from compiler.import_command.openslo import read_openslo
    from compiler.import_command.slo_import import import_slo_specs

    with reporting():
        project = open_project(context, reads_sources=False)
        what = "an OpenSLO document by `moncc import openslo`"
        for path in import_slo_specs(files, read_openslo, what, project, force):
            click.echo(f"wrote {display_path(path)}")


@import_group.command("alertmanager")
@click.argument("file", type=_INPUT_FILE)
@click.option("--module", help="The module to write in the rules folder (default: named after the file).")
@click.option("--force", is_flag=True, help="Overwrite the module if it exists.")
@click.pass_context
def import_alertmanager(context: click.Context, file: Path, module: str | None, force: bool) -> None:
    """Turn an Alertmanager configuration into one module in the rules folder holding its Alertmanager(...);
    secrets become references, and the import says which Kubernetes Secret keys to create."""
    from compiler.import_command.alertmanager_import import import_alertmanager as import_config

    with reporting():
        project = open_project(context, reads_sources=False)
        imported = import_config(file, module, project, force)
        for path in imported.written:
            click.echo(f"wrote {display_path(path)}")
        for line in imported.report:
            click.echo(line)
