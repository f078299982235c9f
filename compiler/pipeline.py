"""The whole compile: load → link tests → emit, then check the staged artifacts. The CLI composes these."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path, PurePosixPath

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.dashboards import emit_dashboards
from compiler.emit.grafana_provisioning import DASHBOARDS_DIR
from compiler.emit.prometheus_rules import CRD_DIR, emit_prometheus_rule
from compiler.emit.rule_files import emit_rule_file, groups_yaml, rule_file_path
from compiler.emit.test_files import emit_test_file, test_file_path
from compiler.load.dashboards import load_dashboards
from compiler.load.rules import RuleModule, load_rules
from compiler.model.test_links import ModuleTests, link_tests
from compiler.problems import CompileError, Problem
from compiler.settings.project import Project
from compiler.slo import slo_rule_groups
from compiler.slo.dashboard import with_slo_dashboard
from compiler.verify.catalogue_coverage import undeclared_metrics
from compiler.verify.crd_schema import check_prometheus_rule
from compiler.verify.promtool import Promtool, find_promtool
from compiler.verify.rule_files import check_rule_files
from compiler.verify.unit_tests import TestFile


@dataclass(frozen=True)
class Compilation:
    """What one compile produced: the artifacts, the modules they came from, and their linked tests."""

    project: Project
    tree: ArtifactTree
    rule_modules: tuple[RuleModule, ...]
    tests: tuple[ModuleTests, ...]
    undeclared_metrics: tuple[str, ...] = ()
    """Raw metrics read but missing from the metrics catalogue (none without a catalogue)."""

    @cached_property
    def promtool(self) -> Promtool:
        """Located once per run: finding it may mean asking a Docker engine."""
        return find_promtool(self.project.settings.promtool, self.project.root)

    def test_files(self) -> list[TestFile]:
        return [
            TestFile(PurePosixPath(test_file_path(tests.module)), tuple(tests.tests))
            for tests in self.tests
            if tests.tests
        ]


def compile_project(project: Project, debug: bool = False) -> Compilation:
    """Load and emit everything in memory; raise `CompileError` with every problem found."""
    loaded = load_rules(project.root, project.rules_dir, debug)
    modules = tuple(with_slo_groups(module) for module in loaded.modules)
    tree = ArtifactTree()
    problems: list[Problem] = list(loaded.problems)
    module_tests = []
    for module in modules:
        groups_text = groups_yaml(module)
        emit_rule_file(tree, module, groups_text)
        emit_prometheus_rule(tree, module, groups_text, project.settings.kubernetes)
        tests, test_problems = link_tests(module)
        problems.extend(test_problems)
        emit_test_file(tree, tests, project.settings.evaluation_interval)
        module_tests.append(tests)
    dashboards = with_slo_dashboard(load_dashboards(project.root, project.dashboards_dir, debug), modules)
    problems.extend(dashboards.problems)
    recorded = {record.name for module in modules for group in module.groups for record in group.records}
    problems.extend(emit_dashboards(tree, dashboards, project.settings.grafana, recorded))
    problems.extend(tree.problems)
    if problems:
        raise CompileError(problems)
    undeclared = undeclared_metrics(
        loaded.catalogue,
        (rule.expr for module in modules for group in module.groups for rule in group.rules),
        (tree.files[path] for path in tree.paths_under(DASHBOARDS_DIR)),
    )
    return Compilation(project, tree, modules, tuple(module_tests), tuple(undeclared))


def with_slo_groups(module: RuleModule) -> RuleModule:
    """The module with its SLOs' generated groups after its own, as one rule file holds them."""
    if not module.slos:
        return module
    generated = tuple(group for slo in module.slos for group in slo_rule_groups(slo))
    return replace(module, groups=module.groups + generated)


def verify(compilation: Compilation, staged: Path) -> None:
    """Check the staged artifacts with promtool and the CRD schema; raise with every problem found."""
    tree = compilation.tree
    problems = [
        problem
        for path in tree.paths_under(CRD_DIR)
        for problem in check_prometheus_rule(path, tree.files[path], tree.sources[path])
    ]
    rule_files = {PurePosixPath(rule_file_path(module)): module for module in compilation.rule_modules}
    if rule_files:
        problems.extend(check_rule_files(compilation.promtool, staged, rule_files))
    if problems:
        raise CompileError(problems)
