"""The whole compile: model → every emitter → (staged) every verifier. The CLI composes these.

Emitters and verifiers are found, not listed: an artifact kind is one module in `compiler/emit/` (and one in
`compiler/verify/` when its files can be checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from compiler import emit, verify
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.emitter import Emitter
from compiler.model.build import Model, build_model
from compiler.plugins import plugins
from compiler.problems import CompileError
from compiler.settings.project import Project
from compiler.verify.catalogue_coverage import undeclared_metrics
from compiler.verify.verifier import StagedBuild, Verifier


@dataclass(frozen=True)
class Compilation:
    """What one compile produced: the model and the artifacts made from it."""

    model: Model
    tree: ArtifactTree
    undeclared_metrics: tuple[str, ...] = ()
    """Raw metrics read but missing from the metrics catalogue (none without a catalogue)."""


@cache
def emitters() -> tuple[Emitter, ...]:
    return tuple(sorted(plugins(emit, (Emitter,), every_module=False), key=lambda emitter: emitter.order))


@cache
def verifiers() -> tuple[Verifier, ...]:
    """In the order of the emitters whose files they check."""
    order = {emitter.name: index for index, emitter in enumerate(emitters())}
    found = plugins(verify, (Verifier,), every_module=False)
    unknown = [type(verifier).__name__ for verifier in found if verifier.artifact not in order]
    if unknown:
        raise RuntimeError(f"verifiers of no artifact kind: {unknown}")
    return tuple(sorted(found, key=lambda verifier: order[verifier.artifact]))


def compile_project(project: Project, debug: bool = False) -> Compilation:
    """Build the model and emit everything in memory; raise `CompileError` with every problem found."""
    model = build_model(project, debug)
    tree = ArtifactTree()
    for emitter in emitters():
        emitter.emit(model, tree)
    problems = [*model.problems, *tree.problems]
    if problems:
        raise CompileError(problems)
    undeclared = undeclared_metrics(
        model.catalogue,
        (rule.expr for rule in model.rules()),
        (dashboard.document for dashboard in model.dashboards),
    )
    return Compilation(model, tree, tuple(undeclared))


def verify_staged(build: StagedBuild) -> None:
    """Run every verifier over the staged files; raise with every problem found."""
    problems = [problem for verifier in verifiers() for problem in verifier.verify(build)]
    if problems:
        raise CompileError(problems)
