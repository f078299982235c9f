"""A JUnit XML report of a `moncc test` run (promtool 2.42 has no --junit of its own)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from compiler.verify.test_run import EngineRun


def write_junit(engines: list[EngineRun], path: Path) -> None:
    """One <testsuite> per engine, one <testcase> per test, a <failure> for each that failed there."""
    outcomes = [outcome for engine in engines for outcome in engine.outcomes]
    root = ElementTree.Element(
        "testsuites",
        name="moncc",
        tests=str(len(outcomes)),
        failures=str(sum(not outcome.passed for outcome in outcomes)),
    )
    for engine in engines:
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=engine.engine.name,
            tests=str(len(engine.outcomes)),
            failures=str(sum(not outcome.passed for outcome in engine.outcomes)),
            time=f"{engine.promtool_seconds:.3f}",
        )
        properties = ElementTree.SubElement(suite, "properties")
        ElementTree.SubElement(properties, "property", name="promtool", value=engine.engine.version)
        for outcome in engine.outcomes:
            location = outcome.test.test.location
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=outcome.test.name,
                classname=str(outcome.file.path).removesuffix(".test.yaml").replace("/", "."),
                file=str(location.path),
                line=str(location.line),
                time=f"{outcome.seconds:.3f}",
            )
            if not outcome.passed:
                failure = ElementTree.SubElement(case, "failure", message=outcome.failures[0])
                name = outcome.test.test.name
                failure.text = "\n".join(f'{location}: test "{name}": {message}' for message in outcome.failures)
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
