"""promtool unit-test files: `build/tests/<module>.test.yaml`, one per rule file, always with explicit intervals.

Each loads its module's rule file and those of the modules whose records its rules read (defining modules
first, in `group_eval_order` too), so an alert reading another module's record sees it.
"""

from __future__ import annotations

from typing import Any

from compiler.dsl.durations import format_duration
from compiler.dsl.series import format_number
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.emitter import Emitter
from compiler.emit.rule_files import RULE_FILES_DIR, rule_file_path
from compiler.emit.yaml_text import header, to_yaml
from compiler.load.rules import RuleModule
from compiler.model.build import Model
from compiler.model.test_links import AlertCheck, ExpectedSample, ExprCheck, LinkedTest, ModuleTests

TEST_FILES_DIR = "tests"


def test_file_path(module: RuleModule) -> str:
    return f"{TEST_FILES_DIR}/{module.name}.test.yaml"


class PromtoolTestFiles(Emitter):
    """`build/tests/<module>.test.yaml`: the promtool unit tests of each rule file that has tests."""

    name = "test-files"
    order = 30

    def emit(self, model: Model, tree: ArtifactTree) -> None:
        for tests in model.tests:
            emit_test_file(tree, tests, model.project.settings.evaluation_interval)


def emit_test_file(tree: ArtifactTree, tests: ModuleTests, evaluation_interval: str) -> None:
    """Write the module's tests, if it has any; rule_files point at the rule files relative to this file."""
    if not tests.tests:
        return
    module = tests.module
    loaded = (*tests.reads, module)
    depth = test_file_path(module).count("/")
    rule_files = ["../" * depth + rule_file_path(each) for each in loaded]
    assert all(rule_file.startswith("../" * depth + RULE_FILES_DIR) for rule_file in rule_files)
    document: dict[str, Any] = {"rule_files": rule_files, "evaluation_interval": evaluation_interval}
    groups = list(dict.fromkeys(group.name for each in loaded for group in each.groups))
    if sum(len(each.groups) for each in loaded) > 1:
        # Without it promtool 2.42 evaluates the groups in random order: alerts reading a record would see
        # this minute's value in one run and the last minute's in the next. promtool orders by name only, so
        # a name two modules share is listed once (listed twice, promtool refuses the file).
        document["group_eval_order"] = groups
    document["tests"] = [_test_document(test) for test in tests.tests]
    tree.add(test_file_path(module), header(module.source) + to_yaml(document), tests.tests[0].test.location)


def _test_document(linked: LinkedTest) -> dict[str, Any]:
    test = linked.test
    document: dict[str, Any] = {
        "name": linked.name,
        "interval": format_duration(test.interval),
        "input_series": [
            {"series": series.selector, "values": series.render(test.interval, test.samples)} for series in test.series
        ],
    }
    if linked.alert_checks:
        document["alert_rule_test"] = [_alert_check(check) for check in linked.alert_checks]
    if linked.expr_checks:
        document["promql_expr_test"] = [_expr_check(check) for check in linked.expr_checks]
    return document


def _alert_check(check: AlertCheck) -> dict[str, Any]:
    expected = []
    for labels, expected_annotations in check.instances:
        instance: dict[str, Any] = {"exp_labels": labels}
        if expected_annotations:
            instance["exp_annotations"] = expected_annotations
        expected.append(instance)
    return {"eval_time": format_duration(check.at), "alertname": check.alert, "exp_alerts": expected}


def _expr_check(check: ExprCheck) -> dict[str, Any]:
    return {
        "expr": check.expr,
        "eval_time": format_duration(check.at),
        "exp_samples": [_sample(sample) for sample in check.samples],
    }


def _sample(sample: ExpectedSample) -> dict[str, Any]:
    name = sample.labels.get("__name__", "")
    matchers = ", ".join(
        f'{key}="{_escape(value)}"' for key, value in sorted(sample.labels.items()) if key != "__name__"
    )
    return {"labels": f"{name}{{{matchers}}}", "value": float(format_number(sample.value))}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
