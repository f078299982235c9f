"""Write a build atomically: stage it in a temporary folder beside build/, check it, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from compiler.emit.artifacts import ArtifactTree
from compiler.problems import Problem, display_path


def stage(tree: ArtifactTree, build_dir: Path) -> Path:
    """Write every artifact into a fresh hidden folder next to build/ (same filesystem, so the swap is a rename)."""
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-staging-", dir=build_dir.parent))
    staged.chmod(0o755)
    for relative, content in tree:
        target = staged.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")
    return staged


def swap_in(staged: Path, build_dir: Path) -> None:
    """Replace build/ by the staged folder; the old build is removed only once the new one is in place."""
    if build_dir.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-old-", dir=build_dir.parent))
        os.replace(build_dir, retired / build_dir.name)
        os.replace(staged, build_dir)
        shutil.rmtree(retired)
    else:
        os.replace(staged, build_dir)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)


def stale_files(tree: ArtifactTree, build_dir: Path) -> list[Problem]:
    """Every file of build/ that differs from what the sources produce now: changed, missing or extra."""
    shown = display_path(build_dir)
    expected = dict(tree)
    present = (
        {PurePosixPath(path.relative_to(build_dir).as_posix()) for path in build_dir.rglob("*") if path.is_file()}
        if build_dir.is_dir()
        else set()
    )
    problems: list[Problem] = []
    for relative in sorted(expected.keys() | present):
        file = build_dir.joinpath(*relative.parts)
        if relative not in present:
            reason = "missing: the sources produce it"
        elif relative not in expected:
            reason = "left over: the sources no longer produce it"
        elif file.read_text(encoding="utf-8") != expected[relative]:
            reason = "out of date: differs from what the sources produce"
        else:
            continue
        problems.append(Problem(f"{shown}/{relative}: {reason}; run `moncc build` and commit build/"))
    return problems
