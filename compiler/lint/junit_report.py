"""`moncc lint --format junit`: a JUnit XML report CI systems show as a list of tests.

One `<testcase>` per check, so the list reads the same on every run: a check with a finding at or above
`--severity` fails (one `<failure>` naming them all, one line each as the text format prints them), a check with
only findings below it passes with them in `<system-out>`, a check the repository disables is skipped with its
reason. Per finding would make the tests appear and vanish as findings come and go.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence

from compiler.lint.findings import Finding, Severity
from compiler.lint.registry import all_checks


def junit_report(findings: Sequence[Finding], threshold: Severity, disabled: Mapping[str, str]) -> str:
    """One `<testsuite name="moncc lint">` with a `<testcase>` per check, in name order."""
    by_check: dict[str, list[Finding]] = {}
    for finding in findings:
        by_check.setdefault(finding.check, []).append(finding)
    checks = all_checks()
    suite = ElementTree.Element("testsuite", name="moncc lint", tests=str(len(checks)))
    failures = skipped = 0
    for check in checks:
        area = check.name.split("/")[0]
        case = ElementTree.SubElement(suite, "testcase", name=check.name, classname=f"moncc.lint.{area}")
        found = by_check.get(check.name, [])
        failing = [finding for finding in found if finding.severity >= threshold]
        if check.name in disabled:
            skipped += 1
            ElementTree.SubElement(case, "skipped", message=f"disabled: {disabled[check.name]}")
        elif failing:
            failures += 1
            message = f"{len(failing)} {check.severity} finding(s)"
            ElementTree.SubElement(case, "failure", message=message, type=str(check.severity)).text = _lines(found)
        elif found:
            ElementTree.SubElement(case, "system-out").text = _lines(found)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"


def _lines(findings: Sequence[Finding]) -> str:
    return "".join(f"{finding}\n" for finding in findings)
