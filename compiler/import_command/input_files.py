"""Reading an input file for `moncc import`: the one place that decides what text an importer gets.

Input files come from anywhere (an upstream repository, a dashboard export, a colleague's paste), so reading
is bounded: a size cap stops endless or huge input (`/dev/zero`, a multi-gigabyte file) before it is held in
memory, and every way a file cannot be read is one problem naming the file, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from compiler.problems import CompileError, Problem, SourceLocation, display_path

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""64 MiB: far beyond any real rule file, SLO spec or dashboard (the largest are a few MB; a Kubernetes object,
such as a PrometheusRule, is capped at 1.5 MB by etcd), yet small enough to hold and parse in memory."""

MAX_NESTING = 100
"""Deepest nesting of lists and mappings an importer accepts. Real files nest under 20 levels; a dashboard's
JSON becomes nested Python literals, which Python's parser refuses beyond 200 nested brackets."""


def read_input_text(path: Path) -> str:
    """The file's text (UTF-8, a leading byte order mark dropped), or a `CompileError` with one problem."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise file_problem(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise file_problem(path, f"cannot read: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"cannot read: not UTF-8 text (byte 0x{data[error.start]:02x})"
        raise CompileError([Problem(message, SourceLocation(path, line))]) from None


def file_problem(path: Path, message: str) -> CompileError:
    """A problem with the file as a whole: it names the file, with no line."""
    return CompileError([Problem(f"{display_path(path)}: {message}")])
