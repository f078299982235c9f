"""Swap two directories in one system call: Linux's `renameat2(RENAME_EXCHANGE)`."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV}
"""What a kernel, C library or filesystem without the exchange answers; the caller then falls back."""

_Renameat2 = Callable[[int, bytes, int, bytes, int], int]


@cache
def _renameat2() -> _Renameat2 | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: _Renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28, or musl without it
        return None
    return function


def exchange(first: Path, second: Path) -> bool:
    """Atomically give each of two existing paths the other's contents; False where this system cannot.

    No instant exists at which either path is missing, which two renames cannot promise.
    """
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))
