"""`moncc import sloth` and `moncc import openslo`: SLO specs → one module of `SLO(...)` per file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from compiler.dsl.slo import SLO
from compiler.import_command.module_names import module_paths
from compiler.import_command.output import write_modules
from compiler.import_command.ruff_layout import ruff_layout
from compiler.import_command.slo_source import slo_module_source
from compiler.problems import CompileError, Problem
from compiler.settings.project import Project


def import_slo_specs(
    files: Sequence[Path], read: Callable[[Path], list[SLO]], what: str, project: Project, force: bool
) -> list[Path]:
    """Read and validate every file first, then write all modules or none."""
    targets = module_paths(files, project.rules_dir)
    read_files: dict[Path, list[SLO]] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            read_files[path] = read(path)
        except CompileError as error:
            problems.extend(error.problems)
    if problems:
        raise CompileError(problems)
    layout = ruff_layout(project.rules_dir)
    sources = {targets[path]: slo_module_source(slos, path, what, layout) for path, slos in read_files.items()}
    sources = {target: layout.exempted(text, target) for target, text in sources.items()}
    return write_modules(sources, force)
