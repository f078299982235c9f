"""The metrics catalogue: `Metric` declarations, their mistakes, and the build's list of undeclared metrics."""

from __future__ import annotations

from tests.conftest import ProjectFactory

CATALOGUE = """\
from compiler.dsl import Metric

requests = Metric("http_requests_total", type="counter", labels=["code"], help="Requests served.")
latency = Metric("http_request_duration_seconds", type="histogram", unit="seconds")
"""
RULES = """\
from compiler.dsl import Alert, RuleGroup

api = RuleGroup("api", [
    Alert(
        "ApiErrors",
        expr='sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05'
        ' and on() sum(rate(http_request_duration_seconds_bucket[5m])) > 0 and on() queue_depth > 10'
        ' and on() up == 1',
        for_="5m",
        severity="warning",
        untested="catalogue test",
    ),
])
"""


def test_build_lists_the_metrics_the_catalogue_does_not_declare(make_project: ProjectFactory) -> None:
    result = make_project(metrics=CATALOGUE, api=RULES).build()
    assert result.stdout.splitlines()[-1] == (
        "note: 1 metric(s) read but not in the metrics catalogue (moncc lint shows where): queue_depth"
    )


def test_without_a_catalogue_the_build_lists_nothing(make_project: ProjectFactory) -> None:
    result = make_project(api=RULES).build()
    assert "note:" not in result.stdout


def test_a_series_declared_twice_is_a_problem_at_the_second(make_project: ProjectFactory) -> None:
    twice = CATALOGUE + 'again = Metric("http_request_duration_seconds_count", type="counter")\n'
    problems = make_project(metrics=twice, api=RULES).build_fails()
    assert problems == [
        "rules_src/metrics.py:5: metric http_request_duration_seconds_count: series "
        "http_request_duration_seconds_count already declared at rules_src/metrics.py:4"
    ]


def test_declaration_mistakes_are_one_line_each(make_project: ProjectFactory) -> None:
    bad = 'from compiler.dsl import Metric\n\nx = Metric("job:requests:rate5m", type="counter", labels=["a", "a"])\n'
    problems = make_project(metrics=bad).build_fails()
    assert problems == [
        "rules_src/metrics.py:3: metric job:requests:rate5m: name: 'job:requests:rate5m' has a ':', which is "
        "reserved for recording rules",
        "rules_src/metrics.py:3: metric job:requests:rate5m: labels: labels listed twice: a",
    ]
