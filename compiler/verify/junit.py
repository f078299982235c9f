"""A JUnit XML report of a `moncc test` run (promtool 2.42 has no --junit of its own)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from compiler.verify.phase_failures import phase_problems
from compiler.verify.test_run import EngineRun


def write_junit(engines: list[EngineRun], path: Path) -> None:
    """One <testsuite> per engine, one <testcase> per test, a <failure> for each that failed there: on the
    sample grid, or (holding there) at a phase, with the lines `moncc test` prints for it."""
    failures = [_failures(engine) for engine in engines]
    root = ElementTree.Element(
        "testsuites",
        name="moncc",
        tests=str(sum(len(engine.outcomes) for engine in engines)),
        failures=str(sum(len(failed) for failed in failures)),
    )
    for engine, failed in zip(engines, failures, strict=True):
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=engine.engine.name,
            tests=str(len(engine.outcomes)),
            failures=str(len(failed)),
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
            failed_here = failed.get(id(outcome))
            if failed_here:
                message, text = failed_here
                ElementTree.SubElement(case, "failure", message=message).text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _failures(engine: EngineRun) -> dict[int, tuple[str, str]]:
    """The failure (message, text) of each outcome that failed on this engine, on the grid or (holding there)
    at a phase, by the outcome's id; the text holds the lines `moncc test` prints for it."""
    copies = engine.shifted_by_test()
    failed: dict[int, tuple[str, str]] = {}
    for outcome in engine.outcomes:
        location, name = outcome.test.test.location, outcome.test.test.name
        if outcome.failures:
            text = "\n".join(f'{location}: test "{name}": {message}' for message in outcome.failures)
            failed[id(outcome)] = (outcome.failures[0], text)
            continue
        problems = phase_problems(outcome.test, copies.get(id(outcome.test), []))
        if problems:
            failed[id(outcome)] = (problems[0].message, "\n".join(map(str, problems)))
    return failed
