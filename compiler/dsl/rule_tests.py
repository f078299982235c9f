"""Rule tests: synthetic input series and what the rules must do with them, compiled to promtool tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import ClassVar

import promql_parser
from pydantic import Field, InstanceOf, field_validator

from compiler.dsl.definition import Definition
from compiler.dsl.durations import Duration
from compiler.dsl.series import Series
from compiler.dsl.syntax import check_label_name
from compiler.promql.parse import parse as parse_promql
from compiler.promql.parse import parse_expr
from compiler.promql.text import normalize_expr

DurationInput = str | timedelta


class Expectation(Definition):
    """Something a test asserts at one evaluation time."""

    at: Duration


class Fires(Expectation):
    """The alert fires at `at` with these labels (the expression's result labels; the rule's own labels are
    filled in) and annotations (those that only read `$labels.x` are rendered for you).

    One `Fires` is one alert instance: an expression returning two series needs two, as promtool compares the
    whole set of firing alerts at `at`. `for_` counts: an alert still pending is not firing. In a test of a
    `RuleGroup`, `alert=` names the alert.

    Example:
        ```python
        from compiler.dsl import Fires

        fires = Fires(at="15m", labels={"job": "api"}, annotations={"summary": "api fails more than 5% of requests"})
        fires_in_group_test = Fires(at="15m", alert="HighErrorRate", labels={"job": "api"})
        ```
    """

    kind: ClassVar[str] = "expectation"

    alert: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)

    def __init__(
        self,
        *,
        at: DurationInput,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        alert: str | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "at": at,
            "labels": labels or {},
            "annotations": annotations or {},
            "alert": alert,
        }
        super().__init__(**arguments)

    @field_validator("labels", "annotations")
    @classmethod
    def _valid_names(cls, values: dict[str, str]) -> dict[str, str]:
        for name in values:
            check_label_name(name)
        return values


class Quiet(Expectation):
    """The alert is not firing at `at` (neither pending nor firing instances match).

    A pending alert (its expression true for less than `for_`) counts as quiet. In a test of a `RuleGroup`,
    `alert=` names the alert.

    Example:
        ```python
        from compiler.dsl import Quiet

        still_pending = Quiet(at="3m")
        quiet_in_group_test = Quiet(at="20m", alert="HighErrorRate")
        ```
    """

    kind: ClassVar[str] = "expectation"

    alert: str | None = None

    def __init__(self, *, at: DurationInput, alert: str | None = None) -> None:
        super().__init__(**{"at": at, "alert": alert})


class Evaluates(Expectation):
    """An expression (by default the recording rule's own name) has these samples at `at`.

    The `Evaluates` of one test with the same expression and `at` are one promtool check of all their samples:
    an expression returning two series needs both, as promtool compares the whole result. `labels` are the
    result's labels without `__name__`. Values are compared exactly (engines from promtool 3.4 on allow one bit
    of rounding). In a test of a `RuleGroup`, or to check another expression, give `expr=`.

    Example:
        ```python
        from compiler.dsl import Evaluates

        recorded = Evaluates(at="10m", value=5, labels={"job": "api"})
        per_minute = Evaluates(
            at="10m", expr='job:http_requests:rate5m{job="api"} * 60', value=300, labels={"job": "api"}
        )
        ```
    """

    kind: ClassVar[str] = "expectation"

    value: float
    labels: dict[str, str] = Field(default_factory=dict)
    expr: str | None = None

    def __init__(
        self,
        *,
        at: DurationInput,
        value: float,
        labels: Mapping[str, str] | None = None,
        expr: str | None = None,
    ) -> None:
        arguments: dict[str, object] = {"at": at, "value": value, "labels": labels or {}, "expr": expr}
        super().__init__(**arguments)

    @field_validator("expr")
    @classmethod
    def _valid_promql(cls, expr: str | None) -> str | None:
        if expr is None:
            return None
        expr = normalize_expr(expr)
        parse_expr(expr)
        return expr


class RuleTest(Definition):
    """A named scenario: input series sampled every `interval`, and expectations at given times.

    Attach it to the rule it proves (`Alert(..., tests=[...])`, `Record(..., tests=[...])`), or to a
    `RuleGroup` when it spans several rules; there `Fires`/`Quiet` must name their `alert=`.

    `series` takes `Series` and lists of them (`histogram(...)` returns a list). The series run from 0 to one
    `interval` past the last expectation's `at`.

    Example:
        ```python
        from compiler.dsl import Fires, Quiet, RuleTest, counter

        fires_at_ten_percent = RuleTest(
            "fires at 10% errors",
            series=[
                counter('http_requests_total{job="api", code="200"}', 9),
                counter('http_requests_total{job="api", code="500"}', 1),
            ],
            expect=[Quiet(at="3m"), Fires(at="15m", labels={"job": "api"})],
        )
        ```
    """

    kind: ClassVar[str] = "test"

    name: str = Field(min_length=1)
    series: list[InstanceOf[Series]] = Field(min_length=1)
    expect: list[InstanceOf[Fires] | InstanceOf[Quiet] | InstanceOf[Evaluates]] = Field(min_length=1)
    interval: Duration = timedelta(minutes=1)

    def __init__(
        self,
        name: str,
        /,
        *,
        series: Iterable[Series | Iterable[Series]],
        expect: Iterable[Fires | Quiet | Evaluates],
        interval: DurationInput = "1m",
    ) -> None:
        super().__init__(name=name, series=_flatten(series), expect=list(expect), interval=interval)

    @field_validator("series")
    @classmethod
    def _valid_selectors(cls, series: list[Series]) -> list[Series]:
        for item in series:
            _check_selector(item.selector)
        return series

    @property
    def duration(self) -> timedelta:
        """How long the input series must run: past the last expectation by one interval."""
        return max(expectation.at for expectation in self.expect) + self.interval

    @property
    def samples(self) -> int:
        return int(self.duration / self.interval) + 1


def raw(selector: str, values: str) -> Series:
    """A series in promtool's own notation, e.g. `raw('up{job="api"}', "1x30 0x30")`.

    promtool's notation: `a+bxn` is `n + 1` samples from `a` growing by `b` each (`a-bxn` falls), `axn` is `a`
    held for `n + 1` samples, `_` a missing sample (`_x3`: three), `stale` a staleness marker. One sample is
    taken every `RuleTest(interval=...)`.

    Example:
        ```python
        from compiler.dsl import raw

        up_then_down = raw('up{job="api"}', "1x30 0x30")
        queue_with_a_gap = raw('queue_depth{queue="mail"}', "0+10x20 _x5 200 stale")
        ```
    """
    return Series(selector=selector, values=values)


def _flatten(series: Iterable[Series | Iterable[Series]]) -> list[Series]:
    flat: list[Series] = []
    for item in series:
        if isinstance(item, Series):
            flat.append(item)
        else:
            flat.extend(item)
    return flat


def _check_selector(selector: str) -> None:
    try:
        ast = parse_promql(selector)
    except ValueError as error:
        raise ValueError(f"series {selector!r}: {error}") from None
    if not isinstance(ast, promql_parser.VectorSelector):
        raise ValueError(f'series {selector!r}: must be a metric name with labels, like up{{job="api"}}')
