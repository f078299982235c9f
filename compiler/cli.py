"""The `moncc` command line: build, check, test, routes, lint, import; each mistake is one line and exit 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from compiler.gc_pause import cyclic_gc_paused
from compiler.import_command.commands import import_group
from compiler.init_command.command import init_command
from compiler.lint.findings import Severity
from compiler.lint.report import FORMATS, ReportContext, render
from compiler.output.placement import check_replaceable
from compiler.output.staging import staged_build
from compiler.output.staleness import stale_files
from compiler.output.swap import swap_in
from compiler.problems import CompileError, Problem, display_path
from compiler.reporting import reporting
from compiler.session import open_project
from compiler.settings.project import Project

if TYPE_CHECKING:
    from compiler.model.build import Model
    from compiler.pipeline import Compilation
    from compiler.verify.routing_proof import RoutingProof
    from compiler.verify.verifier import StagedBuild

# Each command imports the stages it runs when it runs: `moncc lint` in a pre-commit hook should not pay
# for promtool, JSON Schema and JUnit support it never uses.


@click.group()
@click.option(
    "--project",
    "project_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Repository root: holds pyproject.toml with a [tool.moncc] table, rules_src/, build/ "
    "(default: the nearest such folder at or above the working directory).",
)
@click.option("--debug", is_flag=True, help="Show Python tracebacks for failing source modules.")
@click.version_option(package_name="moncc", prog_name="moncc", message="%(prog)s %(version)s")
@click.pass_context
def cli(context: click.Context, project_dir: Path | None, debug: bool) -> None:
    """moncc: compile rules and dashboards as code into Prometheus and Grafana artifacts."""
    context.obj = {"project_dir": project_dir, "debug": debug}
    context.with_resource(cyclic_gc_paused())


@cli.command()
@click.pass_context
def build(context: click.Context) -> None:
    """Compile the sources, check every artifact, then replace build/ in one step."""
    with reporting(), _verified_build(context) as (project, compilation, staged):
        check_replaceable(project)
        swap_in(staged.folder, project.build_dir)
        click.echo(
            f"built {len(compilation.tree.files)} files into {display_path(project.build_dir)}/, "
            f"checked on {staged.engines}"
        )
        if compilation.undeclared_metrics:
            click.echo(
                f"note: {len(compilation.undeclared_metrics)} metric(s) read but not in the metrics catalogue "
                f"(moncc lint shows where): {', '.join(compilation.undeclared_metrics)}"
            )


@cli.command()
@click.pass_context
def check(context: click.Context) -> None:
    """Compile and check without writing; fail if the committed build/ is stale."""
    with reporting(), _verified_build(context) as (project, compilation, staged):
        stale = stale_files(compilation.tree, project.build_dir)
        if stale:
            raise CompileError(stale)
        click.echo(
            f"ok: {len(compilation.tree.files)} files checked on {staged.engines}; "
            f"{display_path(project.build_dir)}/ is current"
        )


@cli.command("test")
@click.option(
    "--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write a JUnit XML report here."
)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="promtool processes at once (default: one per core)."
)
@click.option(
    "--engine",
    "engine_names",
    multiple=True,
    metavar="NAME",
    help="Run on this engine of [tool.moncc.promtool] (repeatable; default: every engine).",
)
@click.pass_context
def test_command(
    context: click.Context, junit_path: Path | None, jobs: int | None, engine_names: tuple[str, ...]
) -> None:
    """Run every rule test with `promtool test rules` on every engine, also with the rules evaluated off the
    sample grid (as a real Prometheus evaluates), and gate on alert coverage."""
    from compiler.dsl.durations import parse_duration
    from compiler.verify.coverage import alert_coverage, coverage_problems, coverage_report
    from compiler.verify.junit import write_junit
    from compiler.verify.test_run import run_tests
    from compiler.verify.unit_tests import test_files
    from compiler.verify.verdicts import phase_summary, verdicts

    with reporting():
        with _verified_build(context, engine_names) as (project, compilation, staged):
            interval = parse_duration(project.settings.evaluation_interval)
            files = test_files(compilation.model)
            run = run_tests(staged.engines.available, staged.folder, files, interval, jobs)
            routing = _routing_proof(compilation.model, staged.folder, jobs)
        if junit_path is not None:
            write_junit(run.engines, junit_path)
        results = verdicts([*engine.outcomes, *engine.shifted] for engine in run.engines)
        coverage = alert_coverage(compilation.model.tests, results)
        for engine in run.engines:
            click.echo(engine.summary())
        click.echo(run.timing())
        click.echo(phase_summary(results))
        if routing is not None:
            click.echo(routing.summary())
        click.echo("coverage:")
        for line in coverage_report(coverage, results):
            click.echo(line)
        problems = [problem for verdict in results for problem in verdict.problems()]
        problems.extend(coverage_problems(coverage))
        problems.extend(routing.problems if routing is not None else ())
        if problems:
            raise CompileError(problems)


@cli.command("routes")
@click.pass_context
def routes_command(context: click.Context) -> None:
    """Print where every alert goes (receivers, grouping, what mutes it), proven with amtool."""
    from compiler.verify.amtool import find_amtool
    from compiler.verify.routing_proof import prove_routing
    from compiler.verify.routing_table import routing_table

    with reporting():
        with _verified_build(context) as (_, compilation, staged):
            routing = compilation.model.routing
            if routing is None:
                raise CompileError(
                    [Problem("no Alertmanager configuration: keep an Alertmanager(...) in a rules module")]
                )
            proof = prove_routing(routing, staged.folder, find_amtool())
        click.echo(proof.summary())
        for line in routing_table(routing):
            click.echo(line)
        if proof.problems:
            raise CompileError(proof.problems)


def _routing_proof(model: Model, folder: Path, jobs: int | None) -> RoutingProof | None:
    """amtool's word on every route test and alert label set; nothing to prove without a configuration."""
    from compiler.verify.amtool import find_amtool
    from compiler.verify.routing_proof import prove_routing

    if model.routing is None:
        return None
    return prove_routing(model.routing, folder, find_amtool(), jobs)


@cli.command("lint")
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: path:line: severity check: message; json; github: GitHub Actions annotations; "
    "sarif: SARIF 2.1.0 for GitHub code scanning; junit: one test case per check.",
)
@click.option(
    "--severity",
    "threshold",
    type=click.Choice([str(severity) for severity in Severity]),
    default="warning",
    show_default=True,
    help="Exit 1 when a finding is at least this severe (all findings are printed).",
)
@click.pass_context
def lint_command(context: click.Context, files: tuple[Path, ...], output_format: str, threshold: str) -> None:
    """Run the lint checks over the sources (docs/lint.md lists them).

    Given FILES (source modules or folders of them, as a pre-commit hook passes them), report only their
    findings; every module is still loaded, so checks across files see the whole project.
    """
    from compiler.lint.engine import lint_project
    from compiler.lint.file_selection import findings_in, selected_paths

    with reporting():
        project = open_project(context)
        selected = selected_paths(project, files) if files else ()
        findings = lint_project(project, debug=context.obj["debug"])
    if files:
        findings = findings_in(findings, selected)
    severity = Severity[threshold.upper()]
    report = ReportContext(project.root, severity, dict(project.settings.lint.disable))
    click.echo(render(findings, output_format, report), nl=False)
    failing = [finding for finding in findings if finding.severity >= severity]
    if output_format == "text":
        click.echo(f"lint: {len(findings)} finding(s), {len(failing)} at or above {threshold}", err=True)
    if failing:
        sys.exit(1)


@contextmanager
def _verified_build(
    context: click.Context, engine_names: tuple[str, ...] = ()
) -> Iterator[tuple[Project, Compilation, StagedBuild]]:
    """Compile, stage and check every artifact on every engine; the staged folder is gone when the block ends."""
    from compiler.pipeline import compile_project, verify_staged
    from compiler.verify.engines import find_engines
    from compiler.verify.verifier import StagedBuild

    project = open_project(context)
    engines = find_engines(project, engine_names)
    for note in engines.skipped:
        click.echo(note)
    compilation = compile_project(project, debug=context.obj["debug"])
    with staged_build(compilation.tree, project.build_dir) as folder:
        staged = StagedBuild(compilation.model, compilation.tree, folder, engines)
        verify_staged(staged)
        yield project, compilation, staged


cli.add_command(import_group)
cli.add_command(init_command)


def main() -> None:
    """The console script: the CLI, then an exit that skips the interpreter's teardown.

    Every resource is released when click's context closes, before it exits; what remains is freeing the
    model's millions of objects one by one, which costs a large repository a third of a second per run
    (mypy ends the same way). Output is flushed first.
    """
    try:
        cli()
    except SystemExit as exit_:
        code = exit_.code
    else:
        code = 0
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # as the interpreter reports `sys.exit("message")`
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
