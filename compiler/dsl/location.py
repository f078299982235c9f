"""Find the user's line of code that constructed a DSL object."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from types import CodeType

from compiler.problems import SourceLocation

_COMPILER_DIR = Path(__file__).resolve().parent.parent
_PYDANTIC_MARKER = f"{Path('site-packages', 'pydantic')}"


def _is_internal(filename: str) -> bool:
    return filename.startswith(str(_COMPILER_DIR)) or _PYDANTIC_MARKER in filename


def caller_location() -> SourceLocation:
    """The first stack frame outside moncc and pydantic: the line the author wrote, and the call's last line."""
    frame = sys._getframe(1)
    while frame.f_back is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
    start, end = _call_lines(frame.f_code)[frame.f_lasti // 2]
    line = frame.f_lineno
    return SourceLocation(_resolved(frame.f_code.co_filename), line, end if start == line and end else None)


_CALL_LINES: dict[int, tuple[CodeType, list[tuple[int | None, int | None]]]] = {}


def _call_lines(code: CodeType) -> list[tuple[int | None, int | None]]:
    """(first, last) line of each instruction; for a call, the whole call expression (PEP 657 positions).

    Kept by the code object's identity (holding the object, so the identity stays its own): hashing a code
    object hashes all its contents, which for a module's code costs more than the lookup saves.
    """
    cached = _CALL_LINES.get(id(code))
    if cached is None or cached[0] is not code:
        if len(_CALL_LINES) > 4096:
            _CALL_LINES.clear()
        cached = _CALL_LINES[id(code)] = (code, [(start, end) for start, end, _, _ in code.co_positions()])
    return cached[1]


@lru_cache(maxsize=4096)
def _resolved(filename: str) -> Path:
    """Resolving a path costs a system call per part; a module creates thousands of objects."""
    return Path(filename).resolve()
