"""Put a staged build in place of build/ so that, at every instant, build/ is the complete old or new build."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from compiler.output.exchange import exchange


def retired_prefix(build_dir: Path) -> str:
    """Where the fallback parks the old build between its two renames; recovery restores it from there."""
    return f".{build_dir.name}-old-"


def swap_in(staged: Path, build_dir: Path) -> None:
    """Replace build/ by `staged`; afterwards `staged` holds nothing (the caller removes the folder).

    On Linux the two folders trade places in one system call, and the old build is then removed from the
    staging folder. Elsewhere it takes two renames; a run killed between them leaves no build/, and the next
    command restores it from the `.build-old-*` folder (see `recovery`).
    """
    if not os.path.lexists(build_dir):
        os.rename(staged, build_dir)
    elif exchange(staged, build_dir):
        shutil.rmtree(staged)
    else:
        retired = Path(tempfile.mkdtemp(prefix=retired_prefix(build_dir), dir=build_dir.parent))
        os.rename(build_dir, retired / build_dir.name)
        os.rename(staged, build_dir)
        shutil.rmtree(retired)
