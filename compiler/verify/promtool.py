"""Find promtool and run it; the gating checks use the real binary, never a stand-in."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from compiler.problems import CompileError, Problem

DOCKER_IMAGE = "prom/prometheus"
INSTALL_HINT = (
    "promtool not found: install it (Debian/Ubuntu: `apt-get install prometheus`, which ships /usr/bin/promtool; "
    "`make setup` does this), set $PROMTOOL to its path, or start a Docker engine to use the prom/prometheus image"
)


@dataclass(frozen=True)
class Promtool:
    """A promtool command line; `workdir` is where relative file arguments resolve."""

    command: tuple[str, ...]

    def run(self, args: list[str], workdir: Path, merge_stderr: bool = True) -> subprocess.CompletedProcess[str]:
        """Run promtool; merging stderr into stdout keeps each message next to the file it follows."""
        return subprocess.run(
            [*self.command, *args],
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
            text=True,
            check=False,
        )


def find_promtool(configured: str | None, workdir: Path) -> Promtool:
    """$PROMTOOL, else the `promtool` setting, else promtool on PATH, else the Docker image's promtool."""
    explicit = os.environ.get("PROMTOOL") or configured
    if explicit:
        command = tuple(shlex.split(explicit))
        if not command or shutil.which(command[0]) is None:
            raise CompileError([Problem(f"promtool command {explicit!r} not found. {INSTALL_HINT}")])
        return Promtool(command)
    on_path = shutil.which("promtool")
    if on_path:
        return Promtool((on_path,))
    if _docker_answers():
        mount = str(workdir.resolve())
        return Promtool(
            ("docker", "run", "--rm", "-v", f"{mount}:{mount}", "-w", mount, "--entrypoint", "promtool", DOCKER_IMAGE)
        )
    raise CompileError([Problem(INSTALL_HINT)])


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0
