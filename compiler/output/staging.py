"""Stage a build in a hidden folder beside build/ (same filesystem, so swapping it in is a rename)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from compiler.emit.artifacts import ArtifactTree
from compiler.output.stamp import write_stamp


def staging_prefix(build_dir: Path) -> str:
    """Folders named so belong to a run in progress, or to one that was killed (recovery removes those)."""
    return f".{build_dir.name}-staging-"


@contextmanager
def staged_build(tree: ArtifactTree, build_dir: Path) -> Iterator[Path]:
    """Write every artifact and the stamp into a fresh folder; remove whatever is left of it afterwards."""
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=staging_prefix(build_dir), dir=build_dir.parent))
    try:
        staged.chmod(0o755)
        for relative, content in tree:
            target = staged.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8", newline="\n")
        write_stamp(staged)
        yield staged
    finally:
        shutil.rmtree(staged, ignore_errors=True)
