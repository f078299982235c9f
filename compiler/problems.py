"""Errors as values: every user mistake becomes a `Problem` that names the source file and line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as a person reads it in a message: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class SourceLocation:
    """The file and line that created a definition, or that a problem points at."""

    path: Path
    line: int
    end_line: int | None = field(default=None, compare=False, repr=False)
    """The last line of the call that made the definition, when known; lint searches it for a keyword."""

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


_LINE_BREAKS = {ord(character): repr(character)[1:-1] for character in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
"""Every character `str.splitlines` breaks at, written as its escape."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong, printed as a single `path:line: message` line."""

    message: str
    location: SourceLocation | None = None

    def __str__(self) -> str:
        """One line, whatever the message holds: an exception of a user's module may span several."""
        message = self.message.translate(_LINE_BREAKS)
        return f"{self.location}: {message}" if self.location else message


class DefinitionError(Exception):
    """A DSL object was constructed with invalid input; raised at the user's line of code.

    Deliberately not a ValueError, so pydantic never swallows it into another model's error.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class CompileError(Exception):
    """A run found problems; the CLI prints them one per line and exits 1."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
