"""Find the user's line of code that constructed a DSL object."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from compiler.problems import SourceLocation

_COMPILER_DIR = Path(__file__).resolve().parent.parent
_PYDANTIC_MARKER = f"{Path('site-packages', 'pydantic')}"


def _is_internal(filename: str) -> bool:
    return filename.startswith(str(_COMPILER_DIR)) or _PYDANTIC_MARKER in filename


def caller_location() -> SourceLocation:
    """The first stack frame outside moncc and pydantic: the line the author wrote."""
    frame = sys._getframe(1)
    while frame.f_back is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
    return SourceLocation(_resolved(frame.f_code.co_filename), frame.f_lineno)


@lru_cache(maxsize=4096)
def _resolved(filename: str) -> Path:
    """Resolving a path costs a system call per part; a module creates thousands of objects."""
    return Path(filename).resolve()
