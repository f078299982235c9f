"""Find and run amtool, Alertmanager's own checker: the config and routing proofs use the real binary.

`$AMTOOL` names the command; otherwise `amtool` on PATH (Debian's `prometheus-alertmanager` package, which
`make setup` installs). It is needed only by a project with an Alertmanager configuration.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from compiler.problems import CompileError, Problem

_VERSION = re.compile(r"^amtool, version (\S+)", re.MULTILINE)
PROVIDE = "install amtool (Debian: `apt-get install prometheus-alertmanager`; `make setup` does it) or set $AMTOOL"


@dataclass(frozen=True)
class Amtool:
    """The amtool command line and the version it reports."""

    command: tuple[str, ...]
    version: str

    def run(self, args: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
        """Run amtool with stderr merged into stdout: its messages then read in order."""
        return subprocess.run(
            [*self.command, *args],
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )


@cache
def find_amtool() -> Amtool:
    """The amtool to use, its version read once; a `CompileError` saying how to provide it when missing."""
    configured = os.environ.get("AMTOOL")
    command = tuple(shlex.split(configured)) if configured else ("amtool",)
    if not command or shutil.which(command[0]) is None:
        raise CompileError([Problem(f"amtool not found ({' '.join(command) or '$AMTOOL is empty'}): {PROVIDE}")])
    try:
        result = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CompileError([Problem(f"amtool could not be run ({' '.join(command)}): {error}")]) from None
    found = _VERSION.search(result.stdout + result.stderr)
    if found is None:
        raise CompileError([Problem(f"{' '.join(command)} --version does not say it is amtool: {PROVIDE}")])
    return Amtool(command, found.group(1))
