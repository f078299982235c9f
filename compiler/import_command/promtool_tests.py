"""Import a promtool test file: each test becomes a `RuleTest` attached to the rule (or group) it proves.

The build links tests per module and refuses what promtool would pass silently, so the import checks the same
here: every alert a test names exists, every test reads one module's rules. An assertion the build refuses as
ambiguous (a range window starting exactly where the input series start, which Prometheus 2 and 3 count
differently) is kept as a comment instead of being changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path

import promql_parser

from compiler.dsl.durations import parse_duration
from compiler.dsl.rule_tests import Evaluates, Fires, Quiet, RuleTest, raw
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.series import Series
from compiler.import_command.python_source import Comment
from compiler.import_command.rule_files import RuleFile
from compiler.import_command.yaml_documents import InputError, YamlNode, check_keys, read_documents
from compiler.model.engine_agreement import Dependency, TestSamples, alert_dependency, engine_disagreement, hold_of
from compiler.problems import CompileError, DefinitionError, Problem
from compiler.promql.parse import parse as parse_promql
from compiler.promql.selectors import selectors
from compiler.promql.window_edges import milliseconds

_FILE_FIELDS = ("rule_files", "evaluation_interval", "group_eval_order", "tests")
_TEST_FIELDS = ("name", "interval", "input_series", "alert_rule_test", "promql_expr_test")
_UNSUPPORTED_TEST_FIELDS = ("external_labels", "external_url")

Expectation = Fires | Quiet | Evaluates


@dataclass(frozen=True)
class ImportedTest:
    """A test as imported: its expectations in order, those left out as comments where they were."""

    test: RuleTest
    expect: tuple[Expectation | Comment, ...]


@dataclass
class Attachments:
    """What imported tests add to rules and groups, keyed by object id (names repeat across groups)."""

    tests: dict[int, list[ImportedTest]] = field(default_factory=dict)
    shown_firing: set[int] = field(default_factory=set)
    shown_quiet: set[int] = field(default_factory=set)
    untested: dict[int, str] = field(default_factory=dict)

    def mark_untested(self, rule_file: RuleFile) -> None:
        """Say why each alert the imported tests do not show both firing and quiet is untested, so the
        coverage gate passes on an import and lists these alerts as exempt: known debt, not a failure."""
        for group in rule_file.groups:
            for alert in group.alerts:
                missing = [
                    what
                    for what, shown in (("firing", self.shown_firing), ("quiet", self.shown_quiet))
                    if id(alert) not in shown
                ]
                if len(missing) == 2:
                    self.untested[id(alert)] = f"imported from {rule_file.path.name}; no upstream test"
                elif missing:
                    reason = f"imported from {rule_file.path.name}; no upstream test shows it {missing[0]}"
                    self.untested[id(alert)] = reason


@dataclass(frozen=True)
class _Rules:
    """The imported rules by name, each with the file and group that hold it."""

    alerts: dict[str, list[tuple[int, RuleGroup, Alert]]]
    records: dict[str, list[tuple[int, RuleGroup, Record]]]

    @classmethod
    def of(cls, rule_files: Sequence[RuleFile]) -> _Rules:
        alerts: dict[str, list[tuple[int, RuleGroup, Alert]]] = {}
        records: dict[str, list[tuple[int, RuleGroup, Record]]] = {}
        for index, rule_file in enumerate(rule_files):
            for group in rule_file.groups:
                for alert in group.alerts:
                    alerts.setdefault(alert.name, []).append((index, group, alert))
                for record in group.records:
                    records.setdefault(record.name, []).append((index, group, record))
        return cls(alerts, records)

    @cached_property
    def record_exprs(self) -> dict[str, list[str]]:
        """Every imported record's expressions by name: a test loads the rule files of the records its rules
        read, whichever file defines them, so the window check follows them all."""
        return {name: [record.expr for _, _, record in found] for name, found in self.records.items()}


def import_promtool_tests(
    path: Path,
    rule_files: Sequence[RuleFile],
    evaluation_interval: str,
    attachments: Attachments,
    names: set[str],
) -> None:
    """Attach every test of the promtool test file at `path`; raise with every problem found. `names` holds the
    test names taken so far, in this file and the others of the same import, so each stays unique."""
    documents = read_documents(path)
    if len(documents) != 1:
        raise CompileError([Problem(f"{path}: expected one YAML document of promtool tests, got {len(documents)}")])
    rules = _Rules.of(rule_files)
    problems: list[Problem] = []
    try:
        entries = documents[0].mapping("promtool test file")
        check_keys(entries, _FILE_FIELDS, "promtool test file")
        _check_evaluation_interval(entries, documents[0], evaluation_interval)
        tests = entries["tests"].sequence("tests") if "tests" in entries else []
    except InputError as error:
        raise CompileError([error.problem]) from None
    interval = parse_duration(evaluation_interval)
    for node in tests:
        try:
            _TestImport(node, rules, rule_files, names, interval).attach(attachments)
        except InputError as error:
            problems.append(error.problem)
    if problems:
        raise CompileError(problems)


def _check_evaluation_interval(entries: dict[str, YamlNode], document: YamlNode, expected: str) -> None:
    """The build writes the project's evaluation interval into every test file; the tests assume theirs."""
    node = entries.get("evaluation_interval", document)
    given = entries["evaluation_interval"].text("evaluation_interval") if "evaluation_interval" in entries else "1m"
    if _parsed_duration(given, node) != _parsed_duration(expected, node):
        raise node.fail(
            f"evaluation_interval {given} differs from the project's ({expected}, [tool.moncc] evaluation_interval); "
            "the tests would evaluate the rules at other times"
        )


def _parsed_duration(text: str, node: YamlNode) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise node.fail(str(error)) from None


class _TestImport:
    """One upstream test: its series and expectations, the module and rule it belongs to."""

    def __init__(
        self,
        node: YamlNode,
        rules: _Rules,
        rule_files: Sequence[RuleFile],
        names: set[str],
        evaluation_interval: timedelta,
    ) -> None:
        self.node = node
        self.rules = rules
        self.rule_files = rule_files
        self.entries = node.mapping("test")
        for name in _UNSUPPORTED_TEST_FIELDS:
            if name in self.entries:
                raise self.entries[name].fail(f"test: {name} is not supported by moncc's rule tests")
        check_keys(self.entries, _TEST_FIELDS, "test")
        self.name = self._unique_name(names)
        self.alert_nodes = self._sequence("alert_rule_test")
        self.expr_nodes = self._sequence("promql_expr_test")
        self.module = self._module()
        self.records = rules.record_exprs
        self.evaluation_interval = evaluation_interval
        self.series = [self._series(series) for series in self._sequence("input_series")]
        self.interval = self.entries["interval"].text("interval") if "interval" in self.entries else "1m"
        self.samples = self._samples()

    def _sequence(self, key: str) -> list[YamlNode]:
        return self.entries[key].sequence(key) if key in self.entries else []

    def _unique_name(self, names: set[str]) -> str:
        """The upstream name, else where the test is (`tests.yaml:8`), so a failure leads back to it."""
        given = self.entries["name"].text("test name") if "name" in self.entries else ""
        name = given or f"{self.node.path.name}:{self.node.location.line}"
        if name in names:
            name = f"{name} ({self.node.path.name}:{self.node.location.line})"
        names.add(name)
        return name

    def _module(self) -> int:
        """The one imported file whose rules this test reads (moncc tests each module on its own)."""
        modules: set[int] = set()
        for node in self.alert_nodes:
            name = node.mapping("alert_rule_test").get("alertname")
            alert = name.text("alertname") if name else ""
            if alert not in self.rules.alerts:
                raise node.fail(
                    f"alert {alert or '(no alertname)'} is not defined in the imported rule files; "
                    "promtool passes a test of a missing alert silently, moncc refuses it"
                )
            modules.update(index for index, _, _ in self.rules.alerts[alert])
        for node in self.expr_nodes:
            names = _metric_names(_expr(node))
            modules.update(index for name in names for index, _, _ in self.rules.records.get(name, []))
        if len(modules) > 1:
            files = ", ".join(self.rule_files[index].path.name for index in sorted(modules))
            raise self.node.fail(f"test reads rules of several files ({files}); moncc tests each file's rules apart")
        if not modules and len(self.rule_files) != 1:
            raise self.node.fail("test reads no rule of the imported files: import the rule file it tests with it")
        return modules.pop() if modules else 0

    def attach(self, attachments: Attachments) -> None:
        owner, alert_name = self._owner()
        expect: list[Expectation | Comment] = []
        for node in self.alert_nodes:
            expect.extend(self._alert_expectations(node, alert_name, attachments))
        for node in self.expr_nodes:
            expect.extend(self._expr_expectations(node, owner))
        kept = [item for item in expect if not isinstance(item, Comment)]
        if not kept:
            raise self.node.fail("test: every assertion's verdict depends on the Prometheus version; nothing left")
        with _located(self.node):
            test = RuleTest(self.name, series=self.series, expect=kept, interval=self.interval)
        attachments.tests.setdefault(id(owner), []).append(ImportedTest(test, tuple(expect)))

    def _owner(self) -> tuple[Alert | Record | RuleGroup, str | None]:
        """The alert or record a test is about (when it checks one only, defined once), else the group of
        the first rule it names; with the alert whose expectations may omit `alert=`."""
        alert_names = {node.mapping("alert_rule_test")["alertname"].text("alertname") for node in self.alert_nodes}
        in_module = {name: self._alerts(name) for name in alert_names}
        exprs = {_expr(node) for node in self.expr_nodes}
        records = [
            record for index, _, record in self.rules.records.get(next(iter(exprs), ""), []) if index == self.module
        ]
        if not alert_names and len(exprs) == 1 and len(records) == 1:
            return records[0], None
        if len(alert_names) == 1 and not self.expr_nodes:
            (name,) = alert_names
            if len(in_module[name]) == 1:
                return in_module[name][0][1], name
        for found in in_module.values():
            return found[0][0], None
        for node in self.expr_nodes:
            for name in _metric_names(_expr(node)):
                for index, group, _ in self.rules.records.get(name, []):
                    if index == self.module:
                        return group, None
        return self.rule_files[self.module].groups[0], None

    def _alerts(self, name: str) -> list[tuple[RuleGroup, Alert]]:
        return [(group, alert) for index, group, alert in self.rules.alerts[name] if index == self.module]

    def _alert_expectations(
        self, node: YamlNode, own_alert: str | None, attachments: Attachments
    ) -> list[Expectation | Comment]:
        entries = node.mapping("alert_rule_test")
        check_keys(entries, ("eval_time", "alertname", "exp_alerts"), "alert_rule_test")
        name = entries["alertname"].text("alertname")
        at = entries["eval_time"].text("eval_time") if "eval_time" in entries else "0s"
        named = None if name == own_alert else name
        candidates = [alert for _, alert in self._alerts(name)]
        expected = entries["exp_alerts"].sequence("exp_alerts") if "exp_alerts" in entries else []
        evaluated = _parsed_duration(at, node)
        edge = self._engine_disagreement(
            [alert_dependency(alert.expr, evaluated, hold_of(alert), self.evaluation_interval) for alert in candidates]
        )
        if edge is not None:
            what = "Fires" if expected else "Quiet"
            return [Comment(f'{what}(at="{at}", alert="{name}") left out: {edge}')]
        if not expected:
            attachments.shown_quiet.update(id(alert) for alert in candidates)
            with _located(node):
                return [Quiet(at=at, alert=named)]
        items: list[Expectation | Comment] = []
        for instance in expected:
            fields = instance.mapping("exp_alerts item")
            check_keys(fields, ("exp_labels", "exp_annotations"), "exp_alerts item")
            labels = fields["exp_labels"].strings("exp_labels") if "exp_labels" in fields else {}
            annotations = fields["exp_annotations"].strings("exp_annotations") if "exp_annotations" in fields else {}
            alert = self._firing_rule(candidates, labels, instance)
            attachments.shown_firing.add(id(alert))
            if len(candidates) == 1:
                labels = {key: value for key, value in labels.items() if alert.labels.get(key) != value}
            labels.pop("alertname", None)
            annotations = {
                key: text for key, text in annotations.items() if "{{" in text or alert.annotations.get(key) != text
            }
            with _located(instance):
                items.append(Fires(at=at, alert=named, labels=labels, annotations=annotations))
        return items

    def _firing_rule(self, candidates: list[Alert], labels: dict[str, str], node: YamlNode) -> Alert:
        """The rule an expected instance comes from: the one whose own labels the instance carries."""
        matching = [
            alert for alert in candidates if all(labels.get(key, value) == value for key, value in alert.labels.items())
        ]
        if len(matching) != 1:
            raise node.fail(f"{len(matching)} rules named {candidates[0].name} match these exp_labels")
        return matching[0]

    def _expr_expectations(self, node: YamlNode, owner: Alert | Record | RuleGroup) -> list[Expectation | Comment]:
        """One `Evaluates` per expected sample: the build checks those of one expression and time together,
        as this one entry."""
        entries = node.mapping("promql_expr_test")
        check_keys(entries, ("expr", "eval_time", "exp_samples"), "promql_expr_test")
        expr = _expr(node)
        at = entries["eval_time"].text("eval_time") if "eval_time" in entries else "0s"
        samples = entries["exp_samples"].sequence("exp_samples") if "exp_samples" in entries else []
        if not samples:
            raise node.fail("promql_expr_test expects no samples; moncc's Evaluates checks samples that are there")
        edge = self._engine_disagreement([Dependency(expr, (milliseconds(_parsed_duration(at, node)),))])
        if edge is not None:
            return [Comment(f'Evaluates(at="{at}", expr="{expr}") left out: {edge}')]
        own = isinstance(owner, Record) and expr == owner.name
        return [self._evaluates(sample, expr, at, None if own else expr) for sample in samples]

    def _evaluates(self, node: YamlNode, expr: str, at: str, named: str | None) -> Evaluates:
        fields = node.mapping("exp_samples item")
        check_keys(fields, ("labels", "value"), "exp_samples item")
        labels = _sample_labels(fields["labels"]) if "labels" in fields else {}
        value = fields["value"].number("value") if "value" in fields else 0.0
        ast = parse_promql(expr)
        if isinstance(ast, promql_parser.VectorSelector) and labels.get("__name__") == ast.name:
            del labels["__name__"]
        with _located(node):
            return Evaluates(at=at, value=value, labels=labels, expr=named)

    def _engine_disagreement(self, dependencies: list[Dependency]) -> str | None:
        """Why an assertion is left out: its verdict can differ between Prometheus 2 and 3 (the build's rule)."""
        reason = engine_disagreement(self.samples, dependencies, self.records, self.evaluation_interval)
        return None if reason is None else f"its verdict depends on the Prometheus version: {reason}"

    def _samples(self) -> TestSamples:
        """The input series as promtool expands them, over the span of every assertion of the test."""
        times = [
            _parsed_duration(entries["eval_time"].text("eval_time"), node)
            for node in [*self.alert_nodes, *self.expr_nodes]
            if "eval_time" in (entries := node.mapping("check"))
        ]
        with _located(self.node):
            span = RuleTest(
                self.name,
                series=self.series,
                expect=[Quiet(at=max(times, default=timedelta(0)))],
                interval=self.interval,
            )
        return TestSamples(span)

    def _series(self, node: YamlNode) -> Series:
        entries = node.mapping("input_series item")
        check_keys(entries, ("series", "values"), "input_series item")
        if "series" not in entries:
            raise node.fail("input_series item: no series")
        values = entries["values"].text("values") if "values" in entries else ""
        return raw(entries["series"].text("series"), values)


@contextmanager
def _located(node: YamlNode) -> Iterator[None]:
    """Report the DSL's refusal of an imported value at the input's line."""
    try:
        yield
    except DefinitionError as error:
        raise node.fail(error.problems[0].message) from None


def _expr(node: YamlNode) -> str:
    """The PromQL a `promql_expr_test` evaluates; refused here when it does not parse, as promtool refuses it."""
    entries = node.mapping("promql_expr_test")
    if "expr" not in entries:
        raise node.fail("promql_expr_test: no expr")
    expr = entries["expr"].text("expr")
    try:
        parse_promql(expr)
    except ValueError as error:
        raise entries["expr"].fail(f"expr: invalid PromQL: {error}") from None
    return expr


def _sample_labels(node: YamlNode) -> dict[str, str]:
    """`metric{a="b"}` as labels, the name under `__name__`."""
    text = node.text("labels").strip()
    if text in {"", "{}"}:
        return {}
    try:
        ast = parse_promql(text)
    except ValueError as error:
        raise node.fail(f"labels {text!r}: {error}") from None
    if not isinstance(ast, promql_parser.VectorSelector):
        raise node.fail(f'labels {text!r}: expected a metric name with labels, like up{{job="api"}}')
    labels = {matcher.name: matcher.value for matcher in ast.matchers.matchers}
    return {"__name__": ast.name, **labels} if ast.name else labels


def _metric_names(expr: str) -> set[str]:
    return {selector.name for selector in selectors(parse_promql(expr)) if selector.name}
