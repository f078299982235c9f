"""Which other rule modules a module's rules read records of, so its test file loads their rule files too.

promtool evaluates only the rule files a test file lists: an alert reading a record that another module
defines would see nothing ("got []") unless that module's rule file is loaded, and evaluated first.
"""

from __future__ import annotations

from collections.abc import Sequence

from compiler.load.rules import RuleModule
from compiler.promql.parse import parse as parse_promql
from compiler.promql.selectors import metric_names, selectors


def record_dependencies(modules: Sequence[RuleModule]) -> tuple[tuple[RuleModule, ...], ...]:
    """For each module, in the same order, the other modules whose records its rules read, transitively (by
    record name across every module): a module defining records before the modules reading them, ties in the
    modules' own order (a cycle is broken where it is entered, so the order stays deterministic)."""
    defining: dict[str, list[int]] = {}
    for index, module in enumerate(modules):
        for group in module.groups:
            for record in group.records:
                found = defining.setdefault(record.name, [])
                if index not in found:
                    found.append(index)
    direct = [sorted(_modules_read(module, defining) - {index}) for index, module in enumerate(modules)]
    return tuple(tuple(modules[read] for read in _defining_first(index, direct)) for index in range(len(modules)))


def _modules_read(module: RuleModule, defining: dict[str, list[int]]) -> set[int]:
    """The modules defining a record the module's rules read directly."""
    read: set[int] = set()
    for group in module.groups:
        for rule in group.rules:
            for selector in selectors(parse_promql(rule.expr)):
                for name in metric_names(selector):
                    read.update(defining.get(name, ()))
    return read


def _defining_first(start: int, direct: list[list[int]]) -> list[int]:
    """Every module reachable from `start`, each after the modules it reads (depth-first, post-order)."""
    order: list[int] = []
    visited = {start}

    def visit(index: int) -> None:
        for read in direct[index]:
            if read not in visited:
                visited.add(read)
                visit(read)
                order.append(read)

    visit(start)
    return order
