"""Imported rule groups written as DSL calls, with the conventional labels and annotations as keywords."""

from __future__ import annotations

from datetime import timedelta

from compiler.dsl.durations import format_duration, format_optional_duration
from compiler.dsl.rule_tests import Evaluates, Fires, Quiet
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.import_command.promtool_tests import Attachments, ImportedTest
from compiler.import_command.python_source import Block, Call, Comment, identifier, module_source
from compiler.import_command.ruff_layout import Layout
from compiler.import_command.rule_files import RuleFile

_LABEL_KEYWORDS = ("severity",)
_ANNOTATION_KEYWORDS = ("summary", "description", "runbook_url")
_DEFAULT_TEST_INTERVAL = timedelta(minutes=1)


def rule_module_source(rule_file: RuleFile, attachments: Attachments, layout: Layout) -> str:
    """The module for one input file: one variable per group, named after it."""
    origin = ", ".join(rule_file.origins) or "a Prometheus rule file"
    docstring = f"Imported by `moncc import rules` from {origin}:\n\n{rule_file.path}"
    taken: set[str] = set()
    assignments = [
        (identifier(group.name, taken, "group"), _group_call(group, attachments)) for group in rule_file.groups
    ]
    notes = [f"group {name!r} has no rules upstream; left out" for name in rule_file.empty_groups]
    return module_source(docstring, assignments, layout.width, notes)


def _group_call(group: RuleGroup, attachments: Attachments) -> Call:
    return Call(
        "RuleGroup",
        (group.name,),
        {
            "rules": [_rule_call(rule, attachments) for rule in group.rules],
            "interval": format_optional_duration(group.interval),
            "limit": group.limit,
            "query_offset": format_optional_duration(group.query_offset),
            "tests": _tests(group, attachments),
        },
    )


def _rule_call(rule: Alert | Record, attachments: Attachments) -> Call:
    if isinstance(rule, Record):
        keywords = {"expr": _expr(rule.expr), "labels": rule.labels or None, "tests": _tests(rule, attachments)}
        return Call("Record", (rule.name,), keywords)
    labels, lifted_labels = _lifted(rule.labels, _LABEL_KEYWORDS)
    annotations, lifted_annotations = _lifted(rule.annotations, _ANNOTATION_KEYWORDS)
    return Call(
        "Alert",
        (rule.name,),
        {
            "verbatim_name": True if rule.verbatim_name else None,
            "expr": _expr(rule.expr),
            "for_": format_optional_duration(rule.for_),
            "keep_firing_for": format_optional_duration(rule.keep_firing_for),
            **lifted_labels,
            **lifted_annotations,
            "labels": labels or None,
            "annotations": annotations or None,
            "tests": _tests(rule, attachments),
            "untested": attachments.untested.get(id(rule)),
        },
    )


def _lifted(values: dict[str, str], keywords: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """(the rest, the conventional ones as keyword arguments)."""
    rest = {name: value for name, value in values.items() if name not in keywords}
    return rest, {name: values[name] for name in keywords if name in values}


def _tests(owner: Alert | Record | RuleGroup, attachments: Attachments) -> list[Call] | None:
    items = attachments.tests.get(id(owner))
    return [_test_call(item) for item in items] if items else None


def _test_call(imported: ImportedTest) -> Call:
    test = imported.test
    return Call(
        "RuleTest",
        (test.name,),
        {
            "interval": None if test.interval == _DEFAULT_TEST_INTERVAL else format_duration(test.interval),
            "series": [Call("raw", (series.selector, series.values)) for series in test.series],
            "expect": [_expectation_call(item) for item in imported.expect],
        },
    )


def _expectation_call(item: Fires | Quiet | Evaluates | Comment) -> Call | Comment:
    if isinstance(item, Comment):
        return item
    at = format_duration(item.at)
    if isinstance(item, Quiet):
        return Call("Quiet", (), {"at": at, "alert": item.alert})
    if isinstance(item, Fires):
        keywords = {"labels": item.labels or None, "annotations": item.annotations or None}
        return Call("Fires", (), {"at": at, "alert": item.alert, **keywords})
    return Call("Evaluates", (), {"at": at, "value": item.value, "labels": item.labels or None, "expr": item.expr})


def _expr(expr: str) -> str | Block:
    """PromQL as the author wrote it: a multi-line expression keeps its lines."""
    return Block(expr) if "\n" in expr else expr
