"""`moncc lint --format sarif`: a SARIF 2.1.0 log, the format GitHub code scanning uploads and shows.

Every check is a rule of the tool (its name the rule id, its documentation the descriptions), so a finding's
alert on GitHub explains itself; each finding is a result at its repository-relative path and line.
No `helpUri`: SARIF wants an absolute URI and moncc's documentation has no published address; the rule's
`help` names the section of docs/lint.md instead (its anchor is the check name without `/`, stable as the name).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compiler.lint.check import LintCheck
from compiler.lint.findings import Finding, Severity
from compiler.lint.registry import all_checks

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
"""The base id result locations are relative to: the repository, as GitHub's upload action expects."""
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_report(findings: Sequence[Finding], root: Path, disabled: Collection[str] = ()) -> str:
    """One run of moncc: every check as a rule (those `[tool.moncc.lint] disable` turns off marked disabled),
    every finding as a result pointing at its rule by id and index."""
    checks = all_checks()
    index = {check.name: number for number, check in enumerate(checks)}
    run = {
        "tool": {
            "driver": {
                "name": "moncc",
                "rules": [_rule(check, check.name not in disabled) for check in checks],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri() + "/"}},
        "results": [_result(finding, index, root.resolve()) for finding in findings],
        "columnKind": "unicodeCodePoints",
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def documentation_anchor(check_name: str) -> str:
    """The anchor of the check's section in docs/lint.md (`## alert/for-missing` → `alertfor-missing`)."""
    return check_name.replace("/", "")


def _rule(check: LintCheck, enabled: bool) -> dict[str, Any]:
    documentation = check.documentation()
    summary = documentation.split("\n\n")[0].replace("\n", " ")
    return {
        "id": check.name,
        "name": check.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": documentation},
        "help": {"text": f"{documentation}\n\nmoncc's docs/lint.md#{documentation_anchor(check.name)}"},
        "defaultConfiguration": {"level": _LEVELS[check.severity], "enabled": enabled},
        "properties": {"tags": [check.name.split("/")[0]]},
    }


def _result(finding: Finding, index: dict[str, int], root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.check,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_location(finding.location.path, root),
                    "region": {"startLine": max(finding.location.line, 1)},
                }
            }
        ],
    }
    if finding.check in index:
        result["ruleIndex"] = index[finding.check]
    return result


def _artifact_location(path: Path, root: Path) -> dict[str, str]:
    """Relative to the repository when the file lies in it (every source module does), else absolute."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    if absolute.is_relative_to(root):
        return {"uri": quote(absolute.relative_to(root).as_posix()), "uriBaseId": SRCROOT}
    return {"uri": absolute.as_uri()}
