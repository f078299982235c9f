"""What a test that holds on the sample grid but not off it is told: one line per expectation, at its line.

The line names the expectation the way it was written (`Quiet(at=25m) of KubePodCrashLooping`), what the
rules did instead at each phase where it failed (it fires, it does not fire, an annotation reads otherwise)
and the engines that said so, so the author sees the knife-edge where it is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from compiler.dsl.durations import format_duration
from compiler.dsl.rule_tests import Fires, Quiet
from compiler.model.test_links import AlertCheck, LinkedTest
from compiler.problems import Problem, SourceLocation
from compiler.verify.phases import Phase, checked_expectation
from compiler.verify.unit_tests import AlertMismatch, TestOutcome

_BRACES = r"\{(?:[^{}\"]|\"(?:[^\"\\]|\\.)*\")*\}"
_INSTANCE = re.compile(rf"Labels:(?P<labels>{_BRACES})\s*Annotations:(?P<annotations>{_BRACES})")
_PAIR = re.compile(r'(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>"(?:[^"\\]|\\.)*")')

Instance = tuple[tuple[tuple[str, str], ...], dict[str, str]]
"""An alert as promtool prints it: its labels (sorted pairs) and annotations (values still Go-quoted)."""


def phase_problems(test: LinkedTest, shifted: Sequence[TestOutcome]) -> list[Problem]:
    """One problem per expectation the shifted copies broke (and one per other failure of a copy)."""
    changed: dict[int, dict[str, dict[Phase, list[str]]]] = {}
    """By the index of the alert check in the test, what the rules did instead, at which phases, on which engines."""
    other: dict[str, dict[Phase, list[str]]] = {}
    for outcome in shifted:
        if outcome.passed or outcome.phase is None:
            continue
        explained = set()
        for mismatch in outcome.mismatches:
            index = checked_expectation(test, outcome.phase, mismatch.alert, mismatch.at)
            if index is None:
                continue
            explained.add(mismatch.message)
            by_phase = changed.setdefault(index, {}).setdefault(_what_changed(mismatch), {})
            by_phase.setdefault(outcome.phase, []).append(outcome.engine.name)
        for failure in outcome.failures:
            if failure not in explained:
                other.setdefault(failure, {}).setdefault(outcome.phase, []).append(outcome.engine.name)
    name = test.test.name
    problems = []
    for checked, reasons in sorted(changed.items()):
        check = test.alert_checks[checked]
        problems.append(
            Problem(
                f'test "{name}": {_expectation(check)} holds only when rules are evaluated on the sample grid: '
                + "; ".join(_at_phases(by_phase, what) for what, by_phase in reasons.items()),
                _location(test, check),
            )
        )
    for failure, by_phase in other.items():
        grid = f'test "{name}" holds on the sample grid but fails'
        problems.append(Problem(f"{grid} {_at_phases(by_phase, failure, ':')}", test.test.location))
    return problems


def _at_phases(by_phase: dict[Phase, list[str]], what: str, joint: str = "") -> str:
    """`evaluated 15s or 45s after the samples (...) it fires (prometheus-2, prometheus-3)`, phases that the
    same engines fail together."""
    together: dict[tuple[str, ...], list[Phase]] = {}
    for phase, engines in by_phase.items():
        together.setdefault(tuple(dict.fromkeys(engines)), []).append(phase)
    parts = []
    for names, phases in together.items():
        after = " or ".join(str(phase) for phase in sorted(phases, key=lambda phase: phase.after))
        parts.append(
            f"evaluated {after} after the samples (as a server whose group runs {after} after the scrape)"
            f"{joint} {what} ({', '.join(names)})"
        )
    return "; ".join(parts)


def _expectation(check: AlertCheck) -> str:
    kind = "Fires" if check.instances else "Quiet"
    return f"{kind}(at={format_duration(check.at)}) of {check.alert}"


def _location(test: LinkedTest, check: AlertCheck) -> SourceLocation:
    """The line of the first `Fires`/`Quiet` the check was made from (the test's, if none is found)."""
    kind = Fires if check.instances else Quiet
    for expectation in test.test.expect:
        if isinstance(expectation, kind) and expectation.at == check.at and expectation.alert in (None, check.alert):
            return expectation.location
    return test.test.location


def _what_changed(mismatch: AlertMismatch) -> str:
    """What the rules did instead of what the check expected, in a few words."""
    expected, got = _instances(mismatch.expected), _instances(mismatch.got)
    if not expected:
        return "it fires"
    if not got:
        return "it does not fire"
    wanted = {labels: annotations for labels, annotations in expected}
    found = {labels: annotations for labels, annotations in got}
    if wanted.keys() != found.keys():
        return f"it fires as {mismatch.got} where the test expects {mismatch.expected}"
    differences = [
        f"its {name} reads {found[labels].get(name, 'nothing')} where the test expects {annotations.get(name, 'none')}"
        for labels, annotations in wanted.items()
        for name in sorted(annotations.keys() | found[labels].keys())
        if found[labels].get(name) != annotations.get(name)
    ]
    return ", ".join(dict.fromkeys(differences)) or f"it fires as {mismatch.got}"


def _instances(printed: str) -> list[Instance]:
    return [
        (tuple(sorted(_pairs(match["labels"]).items())), _pairs(match["annotations"]))
        for match in _INSTANCE.finditer(printed)
    ]


def _pairs(braced: str) -> dict[str, str]:
    return {match["name"]: match["value"] for match in _PAIR.finditer(braced)}
