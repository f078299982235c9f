"""`promtool check rules` over every emitted rule file on every engine, complaints mapped to the source rule.

A complaint every engine makes alike is one problem naming them all; one that only some make (2.42 rejects
`query_offset`, 3 rejects `holt_winters`) names only those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from compiler.emit.rule_files import rule_file_path
from compiler.load.rules import RuleModule
from compiler.problems import Problem, SourceLocation
from compiler.verify.engines import Engine
from compiler.verify.promtool import Promtool
from compiler.verify.verifier import StagedBuild, Verifier

_CHECKING = re.compile(r"^Checking (?P<file>\S+)$")
_RULE_ERROR = re.compile(
    r'^(?P<file>\S+): (?:\d+:\d+: )?group "(?P<group>.*?)", rule (?P<index>\d+), "[^"]*": (?P<msg>.*)$'
)
_NOISE = re.compile(r"^\s*(SUCCESS: .*|FAILED:|)$")


class PromtoolCheckRules(Verifier):
    """Every rule file as Prometheus loads it: PromQL, templates, durations, label names."""

    artifact = "rule-files"

    def verify(self, build: StagedBuild) -> list[Problem]:
        files = {PurePosixPath(rule_file_path(module)): module for module in build.model.rule_modules}
        if not files:
            return []
        engines = build.engines.available
        with ThreadPoolExecutor(max_workers=len(engines)) as pool:
            found = list(pool.map(lambda engine: check_rule_files(engine.promtool, build.folder, files), engines))
        return _naming_engines(zip(engines, found, strict=True))


def _naming_engines(found: Iterable[tuple[Engine, list[Problem]]]) -> list[Problem]:
    """One problem per distinct complaint, in the order first seen, naming the engines that made it."""
    engines_of: dict[Problem, list[str]] = {}
    for engine, problems in found:
        for problem in problems:
            engines_of.setdefault(problem, []).append(engine.name)
    return [
        Problem(f"promtool check rules ({', '.join(names)}): {problem.message}", problem.location)
        for problem, names in engines_of.items()
    ]


def check_rule_files(promtool: Promtool, staged: Path, files: dict[PurePosixPath, RuleModule]) -> list[Problem]:
    """Run promtool once over all files and return its findings (each message as promtool gives it).

    Duplicate rules are `moncc lint`'s job (`record/duplicate-series`), not a build error: real rule sets
    such as kube-prometheus ship one, and importing them must build.
    """
    arguments = [str(path) for path in sorted(files)]
    result = promtool.run(["check", "rules", "--lint=none", *arguments], staged)
    if result.returncode == 0:
        return []
    problems: list[Problem] = []
    current: RuleModule | None = None
    pending: list[str] = []

    def flush() -> None:
        if pending and current is not None:
            message = " ".join(pending)
            problems.append(Problem(message, current.groups[0].location))
        pending.clear()

    for line in result.stdout.splitlines():
        if checking := _CHECKING.match(line):
            flush()
            current = files.get(PurePosixPath(checking["file"]))
        elif rule_error := _RULE_ERROR.match(line):
            flush()
            module = files.get(PurePosixPath(rule_error["file"]), current)
            problems.append(
                Problem(
                    rule_error["msg"],
                    _rule_location(module, rule_error["group"], int(rule_error["index"])),
                )
            )
        elif not _NOISE.match(line):
            pending.append(line.strip())
    flush()
    return problems or [Problem(f"failed: {result.stdout.strip()}")]


def _rule_location(module: RuleModule | None, group_name: str, index: int) -> SourceLocation | None:
    if module is None:
        return None
    for group in module.groups:
        if group.name == group_name and 0 < index <= len(group.rules):
            return group.rules[index - 1].location
    return module.groups[0].location
