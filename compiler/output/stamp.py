"""The file every build carries, by which moncc knows a folder it may replace as its own."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

STAMP = PurePosixPath(".moncc-build")
"""Hidden, so no artifact path can ever collide with it (artifact names never start with '.')."""

STAMP_TEXT = (
    "This folder is made by moncc: `moncc build` replaces all of it on every build.\n"
    "Do not edit or add files here; change the sources and run `moncc build`.\n"
)


def write_stamp(folder: Path) -> None:
    folder.joinpath(*STAMP.parts).write_text(STAMP_TEXT, encoding="utf-8", newline="\n")


def made_by_moncc(folder: Path) -> bool:
    """True for a folder a build made, and for an empty one (nothing in it can be lost)."""
    return folder.joinpath(*STAMP.parts).is_file() or not any(folder.iterdir())
