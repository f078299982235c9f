"""Compare build/ with what the sources produce now, so CI can fail on a build nobody regenerated."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from compiler.emit.artifacts import ArtifactTree
from compiler.output.stamp import STAMP, STAMP_TEXT
from compiler.problems import Problem, display_path


def stale_files(tree: ArtifactTree, build_dir: Path) -> list[Problem]:
    """Every file of build/ that differs from what the sources produce now: changed, missing or extra."""
    shown = display_path(build_dir)
    expected = dict(tree) | {STAMP: STAMP_TEXT}
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
        elif file.read_bytes() != expected[relative].encode("utf-8"):
            reason = "out of date: differs from what the sources produce"
        else:
            continue
        problems.append(Problem(f"{shown}/{relative}: {reason}; run `moncc build` and commit build/"))
    return problems
