"""The `test/*` checks over rule tests' input series: undeclared labels, counters that fall, histograms
without their `+Inf` bucket; where each points, and what each leaves alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compiler.dsl import Alert, Metric, Quiet, RuleGroup, RuleTest, Series, counter, gauge, histogram, raw
from compiler.lint.check import RuleTestCheck
from compiler.lint.checks.test_counter_decreases import CounterDecreases
from compiler.lint.checks.test_histogram_inf_missing import HistogramInfMissing
from compiler.lint.checks.test_series_label_undeclared import SeriesLabelUndeclared
from compiler.lint.subjects import LintContext, linted_rule
from compiler.load.metrics import build_catalogue
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings
from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CATALOGUE = build_catalogue(
    [
        Metric("http_requests_total", type="counter", labels=["handler", "code"]),
        Metric("http_request_duration_seconds", type="histogram", labels=["handler"]),
        Metric("rpc_duration_seconds", type="summary"),
        Metric("queue_depth", type="gauge", labels=["queue"]),
    ]
)[0]


def messages(check: RuleTestCheck, *series: Series | list[Series], on_group: bool = False) -> list[str]:
    """What the check reports on one test with these series, attached to its alert (or to its group)."""
    test = RuleTest("t", series=series, expect=[Quiet(at="30m")])
    alert = Alert("A", expr="up == 0", for_="5m", tests=[] if on_group else [test])
    group = RuleGroup("g", [alert], tests=[test] if on_group else [])
    context = LintContext(LintSettings(), CATALOGUE, timedelta(minutes=1))
    return [report.message for _, report in check.check([linted_rule(alert, group, parse_expr("up == 0"))], context)]


# test/series-label-undeclared


def test_a_label_the_metric_does_not_have_is_reported_once_per_test() -> None:
    assert messages(
        SeriesLabelUndeclared(),
        counter('http_requests_total{job="api", route="/login", code="500"}', 1),
        counter('http_requests_total{job="api", route="/logout", code="500"}', 1),
    ) == [
        'test "t": series of http_requests_total with route="/login": http_requests_total has no label route (it '
        f"has code, handler, instance, job); fix the label, or declare it on its Metric at "
        f"{CATALOGUE.get('http_requests_total').metric.location}"  # type: ignore[union-attr]
    ]


def test_a_group_s_test_names_its_group() -> None:
    found = messages(SeriesLabelUndeclared(), gauge('queue_depth{queue="a", env="prod"}', 1), on_group=True)
    assert len(found) == 1
    assert found[0].startswith('group g: test "t": series of queue_depth with env="prod"')


@pytest.mark.parametrize(
    "series",
    [
        counter('http_requests_total{job="api", instance="a:80", handler="/", code="200"}', 1),
        histogram("http_request_duration_seconds", {0.1: 1, "+Inf": 2}, labels={"handler": "/"}),
        raw('rpc_duration_seconds{quantile="0.99"}', "0.2x30"),
        raw('rpc_duration_seconds_count{job="rpc"}', "0+1x30"),
        gauge('undeclared_metric{anything="x"}', 1),
        gauge('job:http_requests:rate5m{anything="x"}', 1),
    ],
)
def test_declared_target_and_shape_labels_and_undeclared_metrics_pass(series: Series | list[Series]) -> None:
    assert messages(SeriesLabelUndeclared(), series) == []


# test/counter-decreases


@pytest.mark.parametrize(
    ("series", "fall"),
    [
        (raw('jobs_failed_total{job="w"}', "100-1x50"), "falls from 100 to 99 at 1m"),
        (raw('http_requests_total{code="200"}', "0+10x10 5+10x10"), "falls from 100 to 5 at 11m"),
        (raw('jobs_failed_total{job="w"}', "0+10x5 _x3 20+1x5"), "falls from 50 to 20 at 9m"),
        (counter('http_requests_total{code="500"}', 2, changes={"10m": -1}), "falls from 1080 to 1020 at 10m"),
        (raw("http_request_duration_seconds_count", "5 4"), "falls from 5 to 4 at 1m"),
    ],
)
def test_a_falling_counter_is_reported_at_its_first_fall(series: Series, fall: str) -> None:
    found = messages(CounterDecreases(), series)
    assert len(found) == 1
    assert fall in found[0]


@pytest.mark.parametrize(
    "series",
    [
        raw('jobs_failed_total{job="w"}', "0+10x10 0+10x10"),
        raw('jobs_failed_total{job="w"}', "5x7 0x8"),
        raw('jobs_failed_total{job="w"}', "0+1x5 stale 6+1x5"),
        raw('jobs_failed_total{job="w"}', "1 NaN 2"),
        raw('queue_depth{queue="a"}', "100-1x50"),
        raw("temperature_celsius", "30-1x10"),
        gauge("up", 1, changes={"5m": 0}),
        counter('http_requests_total{code="200"}', 3, changes={"10m": 0}),
    ],
)
def test_resets_to_zero_gauges_and_steady_counters_pass(series: Series) -> None:
    assert messages(CounterDecreases(), series) == []


# test/histogram-inf-missing


def test_each_histogram_without_inf_is_reported_once() -> None:
    found = messages(
        HistogramInfMissing(),
        raw('http_request_duration_seconds_bucket{handler="/a", le="0.5"}', "0+1x30"),
        raw('http_request_duration_seconds_bucket{handler="/a", le="1"}', "0+1x30"),
        raw('http_request_duration_seconds_bucket{handler="/b", le="0.5"}', "0+1x30"),
        raw('http_request_duration_seconds_bucket{handler="/b", le="+Inf"}', "0+1x30"),
    )
    assert found == [
        'test "t": histogram http_request_duration_seconds_bucket{handler="/a"} has no le="+Inf" bucket, so '
        "histogram_quantile() over it is NaN: add the +Inf bucket (the count of every observation)"
    ]


@pytest.mark.parametrize(
    "series",
    [
        [raw('x_bucket{le="1"}', "0+1x30"), raw('x_bucket{le="Inf"}', "0+1x30")],
        [raw('x_bucket{le="1"}', "0+1x30"), raw('x_bucket{le="+inf"}', "0+1x30")],
        histogram("http_request_duration_seconds", {0.1: 1, "+Inf": 2}),
        [raw('job:x_bucket:rate5m{le="1"}', "1x30")],
        [raw("x_bucket", "0+1x30")],
    ],
)
def test_complete_histograms_and_other_series_pass(series: list[Series]) -> None:
    assert messages(HistogramInfMissing(), series) == []


def test_findings_point_at_the_series_line(make_project: ProjectFactory) -> None:
    linted = lint_example(
        make_project(),
        """
        from compiler.dsl import Alert, Metric, Quiet, RuleGroup, RuleTest, raw

        requests = Metric("http_requests_total", type="counter", labels=["handler"])

        group = RuleGroup("api", [
            Alert(
                "ApiDown",
                expr='sum(rate(http_requests_total[5m])) == 0',
                for_="5m",
                severity="critical",
                tests=[
                    RuleTest(
                        "quiet while served",
                        series=[
                            raw('http_requests_total{handler="/"}', "0+60x30"),
                            raw('http_requests_total{route="/a"}', "0+60x10 30+60x20"),
                        ],
                        expect=[Quiet(at="30m")],
                    ),
                ],
            ),
        ])
        """,
        "--severity",
        "warning",
    )
    found = sorted((f["check"], f["line"]) for f in linted.findings if str(f["check"]).startswith("test/"))
    assert found == [("test/counter-decreases", 16), ("test/series-label-undeclared", 16)]
