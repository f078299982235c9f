"""What a lint check reports: a finding with its check's name and severity, at a source line."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from compiler.problems import SourceLocation


class Severity(enum.IntEnum):
    """Ordered, so `--severity warning` means warnings and errors."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Finding:
    """One problem a check found, printed as `path:line: severity check-name: message`."""

    location: SourceLocation
    check: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} {self.check}: {self.message}"
