"""The metrics catalogue: `Metric` declarations, their mistakes, and the build's list of undeclared metrics."""

from __future__ import annotations

import json
from pathlib import Path

from compiler.dsl import Metric
from compiler.load.metrics import Catalogue, RecordedSeries, build_catalogue
from compiler.problems import SourceLocation
from compiler.promql.parse import parse_expr
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


def test_histogram_buckets_are_finite_ascending_upper_bounds(make_project: ProjectFactory) -> None:
    declared = {
        "a": 'Metric("a_seconds", type="histogram", buckets=[0.1, 0.5, 0.5])',
        "b": 'Metric("b_seconds", type="histogram", buckets=[0.1, float("inf")])',
        "c": 'Metric("c_seconds", type="histogram", buckets=[])',
        "d": 'Metric("d_total", type="counter", buckets=[1, 2])',
    }
    modules = {name: f"from compiler.dsl import Metric\n\nx = {text}\n" for name, text in declared.items()}
    problems = make_project(**modules).build_fails()
    assert problems == [
        "rules_src/a.py:3: metric a_seconds: buckets: upper bounds must ascend: 0.5 follows 0.5",
        "rules_src/b.py:3: metric b_seconds: buckets: inf is not a finite upper bound (the +Inf bucket is implied)",
        "rules_src/c.py:3: metric c_seconds: buckets: name at least one upper bound (the +Inf bucket is implied), "
        "or leave buckets out",
        "rules_src/d.py:3: metric d_total: buckets: only a histogram has buckets, not a counter",
    ]


def test_the_catalogue_knows_a_histograms_buckets_by_either_name() -> None:
    catalogue, _ = build_catalogue(
        [
            Metric("http_request_duration_seconds", type="histogram", buckets=[0.005, 0.1, 1, 10]),
            Metric("rpc_duration_seconds", type="histogram"),
            Metric("queue_depth", type="gauge"),
        ]
    )
    assert catalogue.buckets("http_request_duration_seconds") == (0.005, 0.1, 1.0, 10.0)
    assert catalogue.buckets("http_request_duration_seconds_bucket") == (0.005, 0.1, 1.0, 10.0)
    assert catalogue.buckets("http_request_duration_seconds_count") is None
    assert catalogue.buckets("rpc_duration_seconds_bucket") is None
    assert catalogue.buckets("queue_depth") is None
    assert catalogue.buckets("undeclared_bucket") is None


def test_recorded_series_carry_what_their_rules_keep() -> None:
    catalogue, _ = build_catalogue([Metric("http_requests_total", type="counter", labels=["route", "code"])])

    def recorded(name: str, expr: str, **labels: str) -> RecordedSeries:
        return RecordedSeries(name, parse_expr(expr), labels, SourceLocation(Path("rules_src/api.py"), 1))

    catalogue = catalogue.with_rules(
        [
            recorded("job_route:http_requests:rate5m", "sum by (job, route) (rate(http_requests_total[5m]))"),
            recorded("job:http_requests:rate5m", "sum by (job) (job_route:http_requests:rate5m)", tier="api"),
            recorded("job:http_requests:rate5m", "sum by (job) (rate(http_requests_total{code='500'}[5m]))"),
            recorded("job:loop:rate5m", "job:loop:rate5m or sum by (job) (up)"),
        ],
        target_labels=["cluster"],
    )
    assert catalogue.series_labels("http_requests_total") == frozenset({"route", "code", "job", "instance", "cluster"})
    route = catalogue.labels_of("job_route:http_requests:rate5m")
    assert route is not None and route.known == frozenset({"job", "route"}) == route.certain
    job = catalogue.labels_of("job:http_requests:rate5m")
    assert job is not None and job.known == frozenset({"job", "tier"}) and job.certain == frozenset({"job"})
    read = frozenset({"route", "code", "job", "instance", "cluster", "tier"})
    assert catalogue.read_of("job:http_requests:rate5m") == read
    up = catalogue.labels_of("up")
    assert up is not None and up.known == frozenset({"job", "instance", "cluster"})
    loop = catalogue.labels_of("job:loop:rate5m")
    assert loop is not None and loop.known is None  # a rule reading its own output: not known
    assert catalogue.labels_of("undeclared_total") is None
    assert Catalogue().with_rules([]).labels_of("up") is None  # no catalogue: nothing is known of up


TARGETED = """\
[project]
name = "targeted"

[tool.moncc]

[tool.moncc.lint]
target_labels = ["cluster", "1x"]
"""


def test_target_labels_are_label_names_listed_once(make_project: ProjectFactory) -> None:
    result = make_project(pyproject=TARGETED, metrics=CATALOGUE).run("lint")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "pyproject.toml:7: [tool.moncc] lint.target_labels: invalid label name '1x': must match [a-zA-Z_][a-zA-Z0-9_]*"
    )
    twice = make_project(pyproject=TARGETED.replace('"1x"', '"cluster"'), metrics=CATALOGUE).run("lint")
    assert (
        twice.stderr.splitlines()[0]
        == "pyproject.toml:7: [tool.moncc] lint.target_labels: labels listed twice: cluster"
    )


def test_an_alert_on_a_recorded_series_is_checked_with_the_rules_labels(make_project: ProjectFactory) -> None:
    rules = """\
from compiler.dsl import Alert, Record, RuleGroup

api = RuleGroup("api", [
    Record("job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))"),
    Alert(
        "ApiQuiet",
        expr='job:http_requests:rate5m{cluster="eu"} == 0',
        for_="5m",
        severity="warning",
        summary="{{ $labels.job }} in {{ $labels.cluster }} serves nothing on {{ $labels.code }}",
    ),
])
"""
    pyproject = '[project]\nname = "targeted"\n\n[tool.moncc.lint]\ntarget_labels = ["cluster"]\n'
    project = make_project(pyproject=pyproject, metrics=CATALOGUE, api=rules)
    result = project.run("lint", "--format", "json")
    findings = [
        (f["line"], f["check"]) for f in json.loads(result.stdout)["findings"] if f["path"] == "rules_src/api.py"
    ]
    assert (7, "promql/label-missing") in findings  # the record summed cluster away
    assert (10, "alert/template-label") in findings  # $labels.code: summed away by the record
