"""How every command ends on user mistakes: one line per problem on stderr, then exit status 1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from compiler.problems import CompileError


@contextmanager
def reporting() -> Iterator[None]:
    """Turn `CompileError` into one line per problem on stderr and exit status 1.

    So does a file the system refuses (no permission, a full disk): that is the user's machine speaking,
    not a bug in moncc, and a traceback would hide which file it was.
    """
    try:
        yield
    except CompileError as error:
        _exit_with([str(problem) for problem in error.problems])
    except OSError as error:
        paths = " → ".join(str(path) for path in (error.filename, error.filename2) if path is not None)
        _exit_with([f"{paths}: {error.strerror or error}" if paths else f"{error.strerror or error}"])


def _exit_with(problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"moncc: {len(problems)} problem(s)", err=True)
    sys.exit(1)
