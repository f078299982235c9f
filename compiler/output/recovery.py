"""Clean up after a moncc run that was killed: restore a missing build/, remove half-written folders.

A command recovers only while it holds the project's lock alone, so that it never removes the staging
folder of a run that is still going; it then keeps a shared lock for as long as it runs itself.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from compiler.output.staging import staging_prefix
from compiler.output.swap import retired_prefix

_LEGACY_PYCACHE_PREFIX = "moncc-pycache-"
"""Empty folders that moncc before 0.2 made in $TMPDIR for every run; a killed run left its own behind."""


@contextmanager
def recovered(root: Path, build_dir: Path) -> Iterator[list[str]]:
    """Hold the project for one run, after recovering what killed runs left; yield what was restored."""
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        notes = recover_interrupted(build_dir) if _lock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB) else []
        _lock(descriptor, fcntl.LOCK_SH)
        yield notes
    finally:
        os.close(descriptor)


def _lock(descriptor: int, operation: int) -> bool:
    """False when another run holds the lock; a filesystem without locks counts as locked by us."""
    try:
        fcntl.flock(descriptor, operation)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True


def recover_interrupted(build_dir: Path) -> list[str]:
    """Restore build/ from a retired build if it is missing, then remove every leftover folder."""
    notes: list[str] = []
    parent = build_dir.parent
    if parent.is_dir():
        retired = sorted(parent.glob(retired_prefix(build_dir) + "*"), key=_modified, reverse=True)
        for folder in retired:
            kept = folder / build_dir.name
            if not os.path.lexists(build_dir) and kept.is_dir():
                os.rename(kept, build_dir)
                notes.append(f"restored {build_dir.name}/ from {folder.name}, left by an interrupted build")
            shutil.rmtree(folder, ignore_errors=True)
        for folder in parent.glob(staging_prefix(build_dir) + "*"):
            shutil.rmtree(folder, ignore_errors=True)
    _remove_legacy_pycache_folders()
    return notes


def _modified(path: Path) -> float:
    return path.stat().st_mtime


def _remove_legacy_pycache_folders() -> None:
    """This user's empty `moncc-pycache-*` folders in $TMPDIR (a folder with anything in it is not ours)."""
    uid = os.getuid()
    for folder in Path(tempfile.gettempdir()).glob(_LEGACY_PYCACHE_PREFIX + "*"):
        try:
            if folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == uid:
                folder.rmdir()
        except OSError:
            continue
