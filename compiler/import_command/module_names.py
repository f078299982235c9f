"""Name the module each input file becomes: its stem as a Python identifier, inside the rules folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from compiler.import_command.python_source import identifier
from compiler.problems import CompileError, Problem


def module_paths(inputs: Sequence[Path], rules_dir: Path) -> dict[Path, Path]:
    """Input file → `rules_dir/<name>.py`. `kubePrometheus-prometheusRule.yaml` becomes
    `kube_prometheus_prometheus_rule.py`; inputs whose stems clash (`argocd/embedded-exporter.yml`,
    `caddy/embedded-exporter.yml`) are told apart by as many parent folders as it takes."""
    resolved = [path.resolve() for path in inputs]
    repeated = {path for path in resolved if resolved.count(path) > 1}
    if repeated:
        raise CompileError(Problem(f"{path}: given more than once") for path in sorted(repeated))
    depths = dict.fromkeys(resolved, 0)
    while True:
        names = [_name(path, depths[path]) for path in resolved]
        clashing = [
            path
            for path, name in zip(resolved, names, strict=True)
            if any(other.parent != path.parent for other, same in zip(resolved, names, strict=True) if same == name)
        ]
        deeper = [path for path in clashing if depths[path] < len(path.parents)]
        if not deeper:
            break
        for path in deeper:
            depths[path] += 1
    taken: set[str] = set()
    names = [identifier(name, taken, "rules") for name in names]
    targets = {source: rules_dir / f"{name}.py" for source, name in zip(inputs, names, strict=True)}
    for target in targets.values():
        # An identifier holds no separator or dot, so this cannot fail; it is the guarantee, checked.
        assert target.parent == rules_dir and target.name.isascii(), target
    return targets


def _name(path: Path, depth: int) -> str:
    """The stem, prefixed by `depth` parent folder names when it alone is ambiguous."""
    parents = [parent.name for parent in path.parents][:depth][::-1]
    return identifier("_".join([*parents, path.name.split(".")[0]]), set(), "rules")
