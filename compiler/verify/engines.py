"""The promtool engines a run verifies and tests on: named, located, and their versions checked once.

Prometheus 2 and 3 disagree on some rules and tests (3 drops `holt_winters`, 2.42 rejects `query_offset`,
3's range windows are open on the left), so what moncc proves it proves on every engine the project names
in `[tool.moncc.promtool]`; by default `prometheus-2` and `prometheus-3`. A default engine that is not
installed is skipped with one note saying how to provide it; an engine the user named is required.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from compiler.problems import CompileError, Problem, SourceLocation
from compiler.settings.project import PLAIN_ENGINE, Project, setting_location
from compiler.verify.promtool import Promtool

_VERSION = re.compile(r"^promtool, version (\S+)", re.MULTILINE)


@dataclass(frozen=True)
class DefaultEngine:
    """An engine a project has without naming any: its variable, its command, how to provide it."""

    name: str
    variable: str
    command: str
    """Relative to the project when it holds a `/`, else looked up on PATH."""
    provide: str


DEFAULT_ENGINES = (
    DefaultEngine(
        "prometheus-2",
        "PROMTOOL",
        "promtool",
        "install promtool 2.x (Debian: `apt-get install prometheus`; `make setup` does it) or set $PROMTOOL",
    ),
    DefaultEngine(
        "prometheus-3",
        "PROMTOOL3",
        ".tools/promtool-3/usr/bin/promtool",
        "run `make setup` (it fetches promtool 3.5 into .tools/) or set $PROMTOOL3",
    ),
)
VARIABLES = {engine.name: engine.variable for engine in DEFAULT_ENGINES} | {PLAIN_ENGINE: "PROMTOOL"}
"""The environment variable that overrides each engine's command, whether the default or a setting."""


@dataclass(frozen=True)
class Engine:
    """One promtool that verifies and tests, named in every result it gives."""

    name: str
    promtool: Promtool
    version: str

    def __str__(self) -> str:
        return f"{self.name} (promtool {self.version})"

    @property
    def fuzzy_compare(self) -> bool:
        """promtool 3.4 and later read `fuzzy_compare: true` (values one bit apart are equal); 2.x refuses it."""
        release = re.match(r"(\d+)\.(\d+)", self.version)
        return release is not None and (int(release[1]), int(release[2])) >= (3, 4)

    @property
    def reads_native_histograms(self) -> bool:
        """promtool 3 reads native-histogram input series (`{{schema:0 ...}}`); 2.42 cannot parse them."""
        release = re.match(r"(\d+)\.", self.version)
        return release is not None and int(release[1]) >= 3


@dataclass(frozen=True)
class Engines:
    """The engines of one run, and a note for each default engine that could not be had."""

    available: tuple[Engine, ...]
    skipped: tuple[str, ...] = ()

    def __str__(self) -> str:
        return ", ".join(map(str, self.available))


@dataclass(frozen=True)
class _Candidate:
    name: str
    command: str
    required: bool
    """Named by the user (setting, variable, --engine): missing is an error, not a note."""
    provide: str
    location: SourceLocation | None


def find_engines(project: Project, selected: Sequence[str] = ()) -> Engines:
    """The configured engines (only `selected` ones, when given), located and version-checked in parallel."""
    candidates = _candidates(project)
    unknown = [name for name in selected if name not in candidates]
    if unknown:
        known = ", ".join(candidates)
        raise CompileError(Problem(f"unknown engine {name!r}: the engines are {known}") for name in unknown)
    chosen = [candidates[name] for name in dict.fromkeys(selected or candidates)]
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        found = list(pool.map(lambda candidate: _locate(candidate, project.root), chosen))
    available = tuple(result for result in found if isinstance(result, Engine))
    missing = [(candidate, reason) for candidate, reason in zip(chosen, found, strict=True) if isinstance(reason, str)]
    fatal = [
        Problem(f"engine {candidate.name}: {reason}", candidate.location)
        for candidate, reason in missing
        if candidate.required or selected or not available
    ]
    if fatal:
        raise CompileError(fatal)
    return Engines(
        available, tuple(f"note: engine {candidate.name} skipped: {reason}" for candidate, reason in missing)
    )


def _candidates(project: Project) -> dict[str, _Candidate]:
    """Engine name → where its command comes from: a variable beats the setting, which beats the default."""
    configured = project.settings.promtool
    pyproject = project.root / "pyproject.toml"
    candidates: dict[str, _Candidate] = {}
    if configured is None:
        for default in DEFAULT_ENGINES:
            variable = os.environ.get(default.variable)
            candidates[default.name] = _Candidate(
                default.name, variable or default.command, bool(variable), default.provide, None
            )
        return candidates
    for name, command in configured.items():
        keys = ["promtool"] if name == PLAIN_ENGINE and list(configured) == [PLAIN_ENGINE] else ["promtool", name]
        variable = VARIABLES.get(name)
        override = os.environ.get(variable) if variable else None
        provide = f"install it or set ${variable}" if variable else "install it"
        candidates[name] = _Candidate(name, override or command, True, provide, setting_location(pyproject, keys))
    return candidates


def _locate(candidate: _Candidate, root: Path) -> Engine | str:
    """The engine, or why it cannot be had and how to provide it."""
    try:
        words = shlex.split(candidate.command)
    except ValueError as error:
        return f"{candidate.command!r} is not a command line: {error}"
    program = words[0] if words else ""
    if "/" in program and not Path(program).is_absolute():
        program = str(root / program)
    found = shutil.which(program) if program else None
    if found is None:
        return f"{candidate.command!r} not found; {candidate.provide}, or name its command in [tool.moncc.promtool]"
    promtool = Promtool((found, *words[1:]))
    try:
        probe = promtool.run(["--version"], root)
    except OSError as error:
        return f"{candidate.command!r} cannot run: {error}"
    version = _VERSION.search(probe.stdout)
    if probe.returncode != 0 or version is None:
        said = " ".join(probe.stdout.split())[:200]
        return f"`{candidate.command} --version` did not answer as promtool does (exit {probe.returncode}): {said}"
    return Engine(candidate.name, promtool, version[1])
