"""`moncc import rules`: rule files (and their promtool tests) → one DSL module per file in the rules folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from compiler.import_command.module_names import module_paths
from compiler.import_command.output import write_modules
from compiler.import_command.promtool_tests import Attachments, import_promtool_tests
from compiler.import_command.ruff_layout import ruff_layout
from compiler.import_command.rule_files import RuleFile, read_rule_file
from compiler.import_command.rule_source import rule_module_source
from compiler.problems import CompileError, Problem
from compiler.settings.project import Project


def import_rule_files(files: Sequence[Path], tests_files: Sequence[Path], project: Project, force: bool) -> list[Path]:
    """Read and validate everything first (every problem of every file), then write all modules or none."""
    targets = module_paths(files, project.rules_dir)
    rule_files: list[RuleFile] = []
    problems: list[Problem] = []
    for path in files:
        try:
            rule_files.append(read_rule_file(path))
        except CompileError as error:
            problems.extend(error.problems)
    if problems:
        raise CompileError(problems)
    attachments = Attachments()
    test_names: set[str] = set()
    for tests_file in tests_files:
        try:
            import_promtool_tests(tests_file, rule_files, project.settings.evaluation_interval, attachments, test_names)
        except CompileError as error:
            problems.extend(error.problems)
    if problems:
        raise CompileError(problems)
    for rule_file in rule_files:
        attachments.mark_untested(rule_file)
    layout = ruff_layout(project.rules_dir)
    sources = {targets[rule_file.path]: rule_module_source(rule_file, attachments, layout) for rule_file in rule_files}
    sources = {target: layout.exempted(text, target) for target, text in sources.items()}
    return write_modules(sources, force)
