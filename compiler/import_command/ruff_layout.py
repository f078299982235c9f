"""Ask ruff, once per import, how long lines may be in the folder the generated modules go to.

Generated modules must pass the repository's own `ruff check`: too-long lines it would flag need an exemption,
and an exemption it would not need is flagged too (RUF100). Only ruff knows its resolved settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compiler.import_command.output import format_python, ruff_findings

_DEFAULT_WIDTH = 88
_EXEMPTION = "# ruff: noqa: E501 (imported expressions keep their original lines)\n"


@dataclass(frozen=True)
class Layout:
    """How long lines may be in the folder the modules go to."""

    width: int
    enforced_limit: int | None
    """The line length ruff's E501 enforces there, or None when it does not."""

    def exempted(self, source: str, target: Path) -> str:
        """`source`, exempt from E501 when, formatted, it still has lines too long: imported PromQL and
        selectors keep their own lines, which ruff can neither break nor join differently."""
        limit = self.enforced_limit
        if limit is None or not any(_too_long(line, limit) for line in format_python(source, target).splitlines()):
            return source
        return _EXEMPTION + source


_PROBE_LENGTHS = range(60, 401)


def ruff_layout(folder: Path) -> Layout:
    """The E501 limit ruff enforces on a module in `folder` (None if it does not), found by letting it
    check lines of every length from 60 to 400 characters."""
    probe = "".join(f"{_probe_line(length)}\n" for length in _PROBE_LENGTHS)
    findings = ruff_findings(probe, folder / "x.py")
    too_long = [finding["location"]["row"] for finding in findings if finding.get("code") == "E501"]
    if not too_long:
        return Layout(_DEFAULT_WIDTH, None)
    limit = _PROBE_LENGTHS[min(too_long) - 1] - 1
    return Layout(limit, limit)


def _probe_line(length: int) -> str:
    """A comment of words (ruff exempts a line that is one long word) exactly `length` characters long."""
    words = "# " + " ".join(["word"] * length)
    return words[:length].rstrip() + "x" * (length - len(words[:length].rstrip()))


def _too_long(line: str, limit: int) -> bool:
    """Whether ruff's E501 flags the line: it spares one long word and a line ending in a URL that starts
    within the limit."""
    if len(line) <= limit:
        return False
    chunks = line.split()
    if len(chunks) < 2:
        return False
    return not ("://" in chunks[-1] and line.rfind(chunks[-1]) < limit)
