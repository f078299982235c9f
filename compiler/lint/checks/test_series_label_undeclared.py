"""The `test/series-label-undeclared` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.dsl.rule_tests import RuleTest
from compiler.lint.check import Report, RuleTestCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext
from compiler.promql.parse import parse
from compiler.promql.selectors import metric_name


class SeriesLabelUndeclared(RuleTestCheck):
    """A rule test's input series carries a label the `Metric` catalogue does not declare for its metric.

    A test proves a rule on the series it is given. A series with `route` where the exporter sets `handler`
    makes `sum by (route)` pass in the test and group nothing in production; the test proves a rule that
    cannot meet such a series. Give the test the labels the metric has (those of its `Metric`, the `job` and
    `instance` target labels, `le` on a histogram's buckets, `quantile` on a summary), or declare the label
    on the `Metric` when the exporter really sets it. Series of metrics the catalogue does not declare, and
    recorded series, are not checked.
    """

    name = "test/series-label-undeclared"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, Fires, Metric, RuleGroup, RuleTest, counter

        requests = Metric("http_requests_total", type="counter", labels=["handler", "code"])

        group = RuleGroup("api", [
            Alert(
                "ApiErrors",
                expr='sum by (handler) (rate(http_requests_total{code="500"}[5m])) > 1',
                for_="5m",
                severity="warning",
                tests=[
                    RuleTest(
                        "fires at 2 errors/s",
                        series=[
                            counter('http_requests_total{route="/login", code="500"}', 2),  # bad: no route label
                        ],
                        expect=[Fires(at="10m")],
                    ),
                ],
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Fires, Metric, RuleGroup, RuleTest, counter

        requests = Metric("http_requests_total", type="counter", labels=["handler", "code"])

        group = RuleGroup("api", [
            Alert(
                "ApiErrors",
                expr='sum by (handler) (rate(http_requests_total{code="500"}[5m])) > 1',
                for_="5m",
                severity="warning",
                tests=[
                    RuleTest(
                        "fires at 2 errors/s",
                        series=[
                            counter('http_requests_total{job="api", handler="/login", code="500"}', 2),
                        ],
                        expect=[Fires(at="10m", labels={"handler": "/login"})],
                    ),
                ],
            ),
        ])
    """

    def check_test(self, test: RuleTest, context: LintContext) -> Iterator[Report]:
        reported: set[tuple[str, str]] = set()
        for series in test.series:
            selector = parse(series.selector)
            if not isinstance(selector, promql.VectorSelector):
                continue
            name = metric_name(selector) or ""
            declared = context.catalogue.series_labels(name) if name else None
            if declared is None:
                continue
            for matcher in selector.matchers.matchers:
                label = str(matcher.name)
                if label == "__name__" or label in declared or (name, label) in reported:
                    continue
                reported.add((name, label))
                shape = context.catalogue.get(name)
                where = f" at {shape.metric.location}" if shape is not None else ""
                yield Report(
                    f'series of {name} with {label}="{matcher.value}": {name} has no label {label} '
                    f"(it has {', '.join(sorted(declared))}); fix the label, or declare it on its Metric{where}",
                    self.at(test, f"{label}=", series.selector, name),
                )
