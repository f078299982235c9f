"""The `test/histogram-inf-missing` check."""

from __future__ import annotations

import math
from collections.abc import Iterator

import promql_parser as promql

from compiler.dsl.rule_tests import RuleTest
from compiler.lint.check import Report, RuleTestCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext
from compiler.promql.parse import parse
from compiler.promql.selectors import metric_name

Histogram = tuple[str, tuple[tuple[str, str], ...]]
"""A histogram's `_bucket` series name and the labels its buckets share (all but `le`)."""


class HistogramInfMissing(RuleTestCheck):
    """A rule test's histogram buckets lack the `le="+Inf"` bucket.

    The `+Inf` bucket counts every observation: `histogram_quantile()` reads the total from it and returns
    NaN for a histogram without one, which no comparison holds for, so the rule stays quiet in the test
    whatever the other buckets say; every client library exposes it. Give each histogram in the test a
    `le="+Inf"` bucket (with the `_count` value), or build the series with `histogram(...)`, which requires it.
    """

    name = "test/histogram-inf-missing"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Quiet, RuleGroup, RuleTest, raw

        group = RuleGroup("api", [
            Alert(
                "ApiSlow",
                expr="histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
                for_="5m",
                severity="warning",
                tests=[
                    RuleTest(
                        "quiet when fast",
                        series=[
                            raw('http_request_duration_seconds_bucket{le="0.5"}', "0+100x30"),  # bad: no +Inf
                            raw('http_request_duration_seconds_bucket{le="1"}', "0+100x30"),
                        ],
                        expect=[Quiet(at="20m")],
                    ),
                ],
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Quiet, RuleGroup, RuleTest, raw

        group = RuleGroup("api", [
            Alert(
                "ApiSlow",
                expr="histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
                for_="5m",
                severity="warning",
                tests=[
                    RuleTest(
                        "quiet when fast",
                        series=[
                            raw('http_request_duration_seconds_bucket{le="0.5"}', "0+100x30"),
                            raw('http_request_duration_seconds_bucket{le="1"}', "0+100x30"),
                            raw('http_request_duration_seconds_bucket{le="+Inf"}', "0+100x30"),
                        ],
                        expect=[Quiet(at="20m")],
                    ),
                ],
            ),
        ])
    """

    def check_test(self, test: RuleTest, context: LintContext) -> Iterator[Report]:
        bounds: dict[Histogram, list[tuple[float, str]]] = {}
        for series in test.series:
            selector = parse(series.selector)
            if not isinstance(selector, promql.VectorSelector):
                continue
            name = metric_name(selector) or ""
            labels = {str(m.name): str(m.value) for m in selector.matchers.matchers if m.name != "__name__"}
            le = labels.pop("le", None)
            if name.endswith("_bucket") and ":" not in name and le is not None:
                bounds.setdefault((name, tuple(sorted(labels.items()))), []).append((_bound(le), series.selector))
        for (name, shared), buckets in bounds.items():
            if not any(bound == math.inf for bound, _ in buckets):
                shown = ", ".join(f'{label}="{value}"' for label, value in shared)
                yield Report(
                    f'histogram {name}{{{shown}}} has no le="+Inf" bucket, so histogram_quantile() over it is NaN: '
                    "add the +Inf bucket (the count of every observation)",
                    self.at(test, buckets[0][1], name),
                )


def _bound(le: str) -> float:
    try:
        return float(le)
    except ValueError:
        return math.nan
