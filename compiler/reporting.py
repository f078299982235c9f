"""How every command ends on user mistakes: one line per problem on stderr, then exit status 1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from compiler.problems import CompileError


@contextmanager
def reporting() -> Iterator[None]:
    """Turn `CompileError` into one line per problem on stderr and exit status 1."""
    try:
        yield
    except CompileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"moncc: {len(error.problems)} problem(s)", err=True)
        sys.exit(1)
