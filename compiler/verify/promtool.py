"""Run one promtool command line; the gating checks use the real binary, never a stand-in."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


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
