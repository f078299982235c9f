"""The in-memory build: relative paths and their contents, with every path proven to stay inside build/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from compiler.problems import Problem, SourceLocation

_SAFE_COMPONENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class UnsafePathError(ValueError):
    """A generated path would leave build/ or is not a plain file name."""


def safe_relative_path(path: str) -> PurePosixPath:
    """Accept only plain relative paths (`a/b.yaml`): no `..`, no absolute paths, no hidden files."""
    candidate = PurePosixPath(path)
    if candidate.is_absolute() or not candidate.parts:
        raise UnsafePathError(f"unsafe output path {path!r}: must be relative to build/")
    for part in candidate.parts:
        if not _SAFE_COMPONENT.fullmatch(part) or part in {".", ".."}:
            raise UnsafePathError(
                f"unsafe output path {path!r}: {part!r} must be letters, digits, '.', '_' or '-' and not start with '.'"
            )
    return candidate


@dataclass
class ArtifactTree:
    """Everything one build writes below build/, keyed by relative path, in a deterministic order."""

    files: dict[PurePosixPath, str] = field(default_factory=dict)
    sources: dict[PurePosixPath, SourceLocation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, content: str, source: SourceLocation) -> None:
        """Record one file; an unsafe path or two sources claiming one path become problems."""
        try:
            relative = safe_relative_path(path)
        except UnsafePathError as error:
            self.problems.append(Problem(str(error), source))
            return
        if relative in self.files:
            self.problems.append(
                Problem(f"{relative} is also produced from {self.sources[relative]}; rename one", source)
            )
            return
        self.files[relative] = content
        self.sources[relative] = source

    def __iter__(self) -> Iterator[tuple[PurePosixPath, str]]:
        return iter(sorted(self.files.items()))

    def paths_under(self, folder: str) -> list[PurePosixPath]:
        return sorted(path for path in self.files if path.is_relative_to(folder))
