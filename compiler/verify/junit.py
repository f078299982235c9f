"""A JUnit XML report of a `moncc test` run (promtool 2.42 has no --junit of its own)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

from compiler.verify.unit_tests import TestOutcome


def write_junit(outcomes: list[TestOutcome], path: Path) -> None:
    """One <testsuite> per test file, one <testcase> per test, a <failure> for each that failed."""
    by_file: dict[str, list[TestOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_file[str(outcome.file.path)].append(outcome)
    root = ElementTree.Element(
        "testsuites",
        name="moncc",
        tests=str(len(outcomes)),
        failures=str(sum(not outcome.passed for outcome in outcomes)),
    )
    for file, file_outcomes in sorted(by_file.items()):
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=file,
            tests=str(len(file_outcomes)),
            failures=str(sum(not outcome.passed for outcome in file_outcomes)),
            time=f"{sum(outcome.seconds for outcome in file_outcomes):.3f}",
        )
        for outcome in file_outcomes:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=outcome.test.name,
                classname=file.removesuffix(".test.yaml").replace("/", "."),
                file=str(outcome.test.test.location.path),
                line=str(outcome.test.test.location.line),
                time=f"{outcome.seconds:.3f}",
            )
            if not outcome.passed:
                failure = ElementTree.SubElement(case, "failure", message=outcome.failures[0])
                failure.text = "\n".join(str(problem) for problem in outcome.problems())
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
