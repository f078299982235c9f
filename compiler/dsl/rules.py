"""Alerting and recording rules and the groups that hold them, mirroring Prometheus' rule file format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar

from pydantic import Field, InstanceOf, field_validator, model_validator

from compiler.dsl.definition import Definition, fold_keywords
from compiler.dsl.durations import Duration
from compiler.dsl.lint_ignore import LintIgnore
from compiler.dsl.rule_tests import RuleTest
from compiler.dsl.syntax import check_label_name, check_metric_name, check_templated_map, check_text
from compiler.problems import SourceLocation
from compiler.promql.parse import parse_expr
from compiler.promql.text import normalize_expr

DurationInput = str | timedelta

_LABEL_KEYWORDS = ("severity",)
_ANNOTATION_KEYWORDS = ("summary", "description", "runbook_url")


class Rule(Definition):
    """What alerting and recording rules share: a name, a PromQL expression and labels."""

    name: str
    expr: str
    labels: dict[str, str] = Field(default_factory=dict)
    tests: list[InstanceOf[RuleTest]] = Field(default_factory=list)
    lint_ignore: LintIgnore = Field(default_factory=dict)

    @field_validator("expr")
    @classmethod
    def _valid_promql(cls, expr: str) -> str:
        expr = normalize_expr(expr)
        parse_expr(expr)
        return expr

    @field_validator("labels")
    @classmethod
    def _valid_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        for name, value in labels.items():
            check_label_name(name)
            try:
                check_text(value)
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
        return dict(sorted(labels.items()))


class Alert(Rule):
    """An alerting rule. `severity=` becomes a label; `summary=`, `description=` and `runbook_url=`
    become annotations, so the conventions every alert needs are keywords, not dictionary keys.

    `for_` and `keep_firing_for` take `"5m"` or a `timedelta`. `labels=` and `annotations=` hold any other
    labels and annotations (Go templates: `{{ $labels.job }}`, `{{ $value }}`). Every alert is shown firing by
    one test and quiet by another (`tests=`), or says why not (`untested="reason"`); `lint_ignore=` turns a lint
    check off for this alert, with the reason. The name follows metric syntax (`ApiDown`); `verbatim_name=True`
    keeps a name Prometheus accepts but metric syntax does not, as imported rules may have.

    Example:
        ```python
        from compiler.dsl import Alert, Fires, Quiet, RuleTest, gauge, step

        api_down = Alert(
            "ApiDown",
            expr='up{job="api"} == 0',
            for_="5m",
            severity="critical",
            summary="{{ $labels.instance }} of the API is down",
            runbook_url="https://runbooks.example.com/ApiDown",
            tests=[
                RuleTest(
                    "down from minute 10",
                    series=[step('up{job="api", instance="a:80"}', 1, 0, at="10m")],
                    expect=[Quiet(at="12m"), Fires(at="16m", labels={"job": "api", "instance": "a:80"})],
                ),
                RuleTest("up", series=[gauge('up{job="api", instance="a:80"}', 1)], expect=[Quiet(at="20m")]),
            ],
        )
        ```
    """

    kind: ClassVar[str] = "alert"

    for_: Duration | None = Field(default=None, alias="for")
    keep_firing_for: Duration | None = None
    annotations: dict[str, str] = Field(default_factory=dict)
    untested: str | None = Field(default=None, min_length=1, description="why no test can show this alert")
    verbatim_name: bool = Field(default=False, description="keep a name Prometheus accepts but metric syntax does not")

    def __init__(
        self,
        name: str,
        /,
        *,
        expr: str,
        for_: DurationInput | None = None,
        keep_firing_for: DurationInput | None = None,
        severity: str | None = None,
        summary: str | None = None,
        description: str | None = None,
        runbook_url: str | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        tests: Sequence[RuleTest] = (),
        untested: str | None = None,
        lint_ignore: Mapping[str, str] | None = None,
        verbatim_name: bool = False,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "name": name,
            "expr": expr,
            "for_": for_,
            "keep_firing_for": keep_firing_for,
            "severity": severity,
            "summary": summary,
            "description": description,
            "runbook_url": runbook_url,
            "labels": labels,
            "annotations": annotations,
            "tests": list(tests),
            "untested": untested,
            "lint_ignore": lint_ignore or {},
            "verbatim_name": verbatim_name,
            "location": location,
        }
        super().__init__(**arguments)

    @model_validator(mode="before")
    @classmethod
    def _fold_keywords(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Move `severity=` into labels and `summary=`… into annotations, refusing contradictions."""
        return fold_keywords(fold_keywords(data, "labels", _LABEL_KEYWORDS), "annotations", _ANNOTATION_KEYWORDS)

    @model_validator(mode="after")
    def _valid_alert_name(self) -> Alert:
        """Alert names follow metric syntax here; Prometheus accepts any name (it is the `alertname` label's
        value), so rules imported from elsewhere keep theirs with `verbatim_name=True`."""
        if not self.verbatim_name:
            try:
                check_metric_name(self.name)
            except ValueError as error:
                raise ValueError(f"name: {error}") from None
        elif not self.name:
            raise ValueError("name: must not be empty")
        else:
            try:
                check_text(self.name)
            except ValueError as error:
                raise ValueError(f"name: {error}") from None
        return self

    @field_validator("labels", "annotations")
    @classmethod
    def _valid_templates(cls, values: dict[str, str]) -> dict[str, str]:
        return check_templated_map(values)


class Record(Rule):
    """A recording rule; its name is the metric it records, by convention `level:metric:operations`.

    Its tests check the recorded value with `Evaluates` (by default of the rule's own name).

    Example:
        ```python
        from compiler.dsl import Evaluates, Record, RuleTest, counter

        requests_rate = Record(
            "job:http_requests:rate5m",
            expr="sum by (job) (rate(http_requests_total[5m]))",
            tests=[
                RuleTest(
                    "sums the instances",
                    series=[
                        counter('http_requests_total{job="api", instance="a"}', 3),
                        counter('http_requests_total{job="api", instance="b"}', 2),
                    ],
                    expect=[Evaluates(at="10m", value=5, labels={"job": "api"})],
                )
            ],
        )
        ```
    """

    kind: ClassVar[str] = "record"

    def __init__(
        self,
        name: str,
        /,
        *,
        expr: str,
        labels: Mapping[str, str] | None = None,
        tests: Sequence[RuleTest] = (),
        lint_ignore: Mapping[str, str] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(
            name=name,
            expr=expr,
            labels=labels or {},
            tests=list(tests),
            lint_ignore=lint_ignore or {},
            location=location,
        )

    @field_validator("name")
    @classmethod
    def _valid_record_name(cls, name: str) -> str:
        return check_metric_name(name)


class RuleGroup(Definition):
    """A Prometheus rule group: rules evaluated in order, at the group's interval.

    Each module of `rules_src/` that keeps groups at module level becomes one rule file and one PrometheusRule
    CRD (see the guide on modules). `interval`, `limit` and `query_offset` are Prometheus' own group fields
    (`query_offset` needs Prometheus 2.53 or newer). `tests=` holds tests that span several rules: there
    `Fires`/`Quiet` name their `alert=`. `lint_ignore=` applies to every rule of the group.

    Example:
        ```python
        from compiler.dsl import Alert, Fires, Quiet, Record, RuleGroup, RuleTest, gauge

        availability = RuleGroup(
            "availability",
            rules=[
                Record("job:up:avg", expr="avg by (job) (up)"),
                Alert(
                    "ApiMostlyDown",
                    expr='job:up:avg{job="api"} < 0.5',
                    for_="2m",
                    severity="warning",
                    summary="less than half of the API's instances are up",
                ),
            ],
            interval="30s",
            tests=[
                RuleTest(
                    "one instance of three up",
                    series=[
                        gauge('up{job="api", instance="a"}', 1),
                        gauge('up{job="api", instance="b"}', 0),
                        gauge('up{job="api", instance="c"}', 0),
                    ],
                    expect=[Fires(at="10m", alert="ApiMostlyDown", labels={"job": "api"})],
                ),
                RuleTest(
                    "all up",
                    series=[gauge('up{job="api", instance="a"}', 1)],
                    expect=[Quiet(at="10m", alert="ApiMostlyDown")],
                ),
            ],
        )
        ```
    """

    kind: ClassVar[str] = "group"

    name: str = Field(min_length=1)
    rules: list[InstanceOf[Alert] | InstanceOf[Record]] = Field(min_length=1)
    interval: Duration | None = None
    limit: int | None = Field(default=None, ge=0, le=2**63 - 1, description="as Prometheus reads it: a 64-bit int")
    query_offset: Duration | None = None
    tests: list[InstanceOf[RuleTest]] = Field(default_factory=list)
    lint_ignore: LintIgnore = Field(default_factory=dict, description="applies to every rule of the group")

    def __init__(
        self,
        name: str,
        /,
        rules: Sequence[Alert | Record],
        *,
        interval: DurationInput | None = None,
        limit: int | None = None,
        query_offset: DurationInput | None = None,
        tests: Sequence[RuleTest] = (),
        lint_ignore: Mapping[str, str] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(
            name=name,
            rules=list(rules),
            interval=interval,
            limit=limit,
            query_offset=query_offset,
            tests=list(tests),
            lint_ignore=lint_ignore or {},
            location=location,
        )

    @field_validator("rules", mode="before")
    @classmethod
    def _only_rules(cls, rules: list[object]) -> list[object]:
        for index, rule in enumerate(rules):
            if not isinstance(rule, Alert | Record):
                raise ValueError(f"item {index} is a {type(rule).__name__}, not an Alert or a Record")
        return rules

    @property
    def alerts(self) -> list[Alert]:
        return [rule for rule in self.rules if isinstance(rule, Alert)]

    @property
    def records(self) -> list[Record]:
        return [rule for rule in self.rules if isinstance(rule, Record)]
