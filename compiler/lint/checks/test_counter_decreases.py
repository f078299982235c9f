"""The `test/counter-decreases` check."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta

import promql_parser as promql

from compiler.dsl.durations import format_duration
from compiler.dsl.rule_tests import RuleTest
from compiler.dsl.series import Series, format_number
from compiler.lint.check import Report, RuleTestCheck
from compiler.lint.counters import is_counter
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext
from compiler.promql.parse import parse
from compiler.promql.selectors import metric_name
from compiler.promql.series_notation import expand


class CounterDecreases(RuleTestCheck):
    """A rule test feeds a counter that goes down, other than by a reset to 0.

    A counter only goes up; Prometheus reads any fall as a reset, the process having restarted and counted
    from 0 again. `rate()` and `increase()` then count the whole new value as growth: a counter written
    `100-1x50` (falling by 1 a minute) yields a rate near 1.6/s, not a negative one, and the test proves the
    rule against data no exporter sends. A fall to exactly 0 is read as the deliberate reset it looks like
    and is accepted (a reset to 0 is how a test shows a restart); any other fall is reported. Write a
    restart as a fall to 0, a falling value as a `gauge`, or declare the metric a gauge if it is one.

    A series is a counter as for `promql/rate-on-gauge`: declared one (a histogram's `_bucket`, `_sum` and
    `_count` too), else named `..._total`, `_count`, `_sum` or `_bucket`.
    """

    name = "test/counter-decreases"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Quiet, RuleGroup, RuleTest, raw

        group = RuleGroup("jobs", [
            Alert(
                "JobsFailing",
                expr="rate(jobs_failed_total[5m]) > 0.1",
                for_="5m",
                severity="warning",
                tests=[
                    RuleTest(
                        "quiet across a restart",
                        series=[raw('jobs_failed_total{job="worker"}', "0+3x10 1+3x20")],  # bad: 30 falls to 1
                        expect=[Quiet(at="30m")],
                    ),
                ],
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, raw

        group = RuleGroup("jobs", [
            Alert(
                "JobsFailing",
                expr="rate(jobs_failed_total[5m]) > 0.1",
                for_="5m",
                severity="warning",
                tests=[
                    RuleTest(
                        "quiet across a restart",
                        series=[raw('jobs_failed_total{job="worker"}', "0+3x10 0+3x20")],
                        expect=[Quiet(at="30m")],
                    ),
                    RuleTest(
                        "fires at 0.2 failures/s",
                        series=[raw('jobs_failed_total{job="worker"}', "0+12x30")],
                        expect=[Fires(at="20m", labels={"job": "worker"})],
                    ),
                ],
            ),
        ])
    """

    def check_test(self, test: RuleTest, context: LintContext) -> Iterator[Report]:
        for series in test.series:
            selector = parse(series.selector)
            name = metric_name(selector) if isinstance(selector, promql.VectorSelector) else None
            if not name or is_counter(name, context.catalogue) is not True:
                continue
            fall = _first_fall(series, test.interval, test.samples)
            if fall is not None:
                at, before, after = fall
                yield Report(
                    f"counter {series.selector} falls from {format_number(before)} to {format_number(after)} at "
                    f"{format_duration(at)}: Prometheus reads it as a reset, so rate() and increase() count "
                    f"{format_number(after)} as new growth; write a restart as a fall to 0, or a falling value "
                    "as a gauge",
                    self.at(test, series.selector, name),
                )


def _first_fall(series: Series, interval: timedelta, samples: int) -> tuple[timedelta, float, float] | None:
    """When the series first falls to a value other than 0, with the values before and after."""
    interval_ms = int(interval / timedelta(milliseconds=1))
    try:
        values = expand(series.render(interval, samples), interval_ms)
    except ValueError:
        return None
    previous: float | None = None
    for sample in values:
        if sample.stale or math.isnan(sample.value):
            continue
        if previous is not None and sample.value < previous and sample.value != 0:
            return timedelta(milliseconds=sample.at_ms), previous, sample.value
        previous = sample.value
    return None
