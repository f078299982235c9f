"""Print findings: one line each (text), a JSON document for tools, GitHub Actions annotations, a SARIF log for
GitHub code scanning (`sarif.py`) or a JUnit report for CI (`junit_report.py`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from compiler.lint.findings import Finding, Severity
from compiler.problems import display_path

FORMATS = ("text", "json", "github", "sarif", "junit")
_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


@dataclass(frozen=True)
class ReportContext:
    """What the SARIF and JUnit reports say besides the findings."""

    root: Path
    """The repository: SARIF locations are relative to it."""
    threshold: Severity = Severity.WARNING
    """`--severity`: a JUnit test case fails on a finding at least this severe."""
    disabled: Mapping[str, str] = field(default_factory=dict)
    """`[tool.moncc.lint] disable`: check name → why."""


def render(findings: Sequence[Finding], output_format: str, context: ReportContext) -> str:
    if output_format == "sarif":
        from compiler.lint.sarif import sarif_report  # the check registry, loaded only when a report needs it

        return sarif_report(findings, context.root, context.disabled)
    if output_format == "junit":
        from compiler.lint.junit_report import junit_report

        return junit_report(findings, context.threshold, context.disabled)
    if output_format == "json":
        return json_report(findings)
    if output_format == "github":
        return "".join(f"{github_annotation(finding)}\n" for finding in findings)
    return "".join(f"{finding}\n" for finding in findings)


def json_report(findings: Sequence[Finding]) -> str:
    """`{"findings": [{path, line, severity, check, message}...]}`, paths relative to the working directory
    (each worked out once: a large repository has tens of thousands of findings in a few hundred files)."""
    paths = {path: display_path(path) for path in {finding.location.path for finding in findings}}
    document = {
        "findings": [
            {
                "path": paths[finding.location.path],
                "line": finding.location.line,
                "severity": str(finding.severity),
                "check": finding.check,
                "message": finding.message,
            }
            for finding in findings
        ]
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def github_annotation(finding: Finding) -> str:
    """A workflow command GitHub Actions shows on the pull request's diff, at the finding's line."""
    level = _GITHUB_LEVELS[finding.severity]
    path = _escape_property(display_path(finding.location.path))
    title = _escape_property(finding.check)
    return f"::{level} file={path},line={finding.location.line},title={title}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
