"""Latency SLIs: a classic histogram's threshold must be one of its buckets, and the error names the nearest;
a native histogram's may be any value (`histogram_fraction`), its generated tests run on Prometheus 3 only."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from compiler.dsl import NativeLatencySLI, native_histogram
from compiler.model.build import build_model
from compiler.problems import DefinitionError
from compiler.settings.project import load_project
from compiler.verify import unit_tests
from compiler.verify.engines import Engine
from compiler.verify.promtool import Promtool
from compiler.verify.shards import plan_shards
from tests.conftest import Project, ProjectFactory

CATALOGUE = """from compiler.dsl import Metric

metrics = [
    Metric("http_request_duration_seconds", type="histogram", help="Latency.", buckets=[0.1, 0.25, 0.5, 1]),
]
"""


def latency_slo(sli: str) -> str:
    """A module whose SLO starts on line 3 and whose SLI on line 6."""
    return (
        "from compiler.dsl import SLO, Alerting, LatencySLI\n\n"
        f'slo = SLO(\n    service="api",\n    name="latency",\n    sli={sli},\n'
        '    alerting=Alerting(name="ApiLatencyBudgetBurn"),\n)\n'
    )


def test_a_threshold_between_catalogued_buckets_names_the_nearest(project: Project) -> None:
    project.write("metrics", CATALOGUE)
    project.write("slos", latency_slo("LatencySLI(metric='http_request_duration_seconds', threshold=0.3)"))
    assert project.build_fails() == [
        "rules_src/slos.py:6: slo api-latency: sli: threshold 0.3 is not a bucket bound of "
        "http_request_duration_seconds in the metrics catalogue: the nearest are 0.25 and 0.5; there is no "
        'http_request_duration_seconds_bucket{le="0.3"} series to count'
    ]


def test_a_threshold_beyond_the_catalogued_buckets_names_the_largest(project: Project) -> None:
    project.write("metrics", CATALOGUE)
    project.write("slos", latency_slo("LatencySLI(metric='http_request_duration_seconds', threshold=2)"))
    assert project.build_fails() == [
        "rules_src/slos.py:6: slo api-latency: sli: threshold 2 is not a bucket bound of "
        "http_request_duration_seconds in the metrics catalogue: the largest is 1; there is no "
        'http_request_duration_seconds_bucket{le="2"} series to count'
    ]


def test_a_catalogued_bucket_is_a_threshold(project: Project) -> None:
    project.write("metrics", CATALOGUE)
    project.write("slos", latency_slo("LatencySLI(metric='http_request_duration_seconds', threshold=0.25)"))
    project.build()


def test_a_native_latency_sli_takes_any_threshold() -> None:
    sli = NativeLatencySLI(metric="http_request_duration_seconds", selector='{job="api"}', threshold=0.3)
    assert sli.error_ratio_query("5m") == (
        '(histogram_fraction(0.3, +Inf, sum(rate(http_request_duration_seconds{job="api"}[5m]))))'
    )


def test_a_native_histogram_is_named_without_classic_suffixes() -> None:
    with pytest.raises(DefinitionError, match="give the histogram's name without '_bucket'"):
        NativeLatencySLI(metric="http_request_duration_seconds_bucket", threshold=0.3)


def test_native_histogram_series_grow_by_each_bucket_per_interval() -> None:
    series = native_histogram('latency_seconds{job="api"}', {0.1: 99, 2: 1})
    assert series.render(timedelta(minutes=1), 4) == (
        "{{schema:0 sum:0 count:0 offset:-3 buckets:[0 0 0 0 0]}}"
        "+{{schema:0 sum:714 count:6000 offset:-3 buckets:[5940 0 0 0 60]}}x3"
    )


def test_planted_traffic_sits_in_buckets_either_side_of_the_threshold() -> None:
    plan = NativeLatencySLI(metric="latency_seconds", threshold=0.5).traffic_plan()
    (series,) = plan.series(Decimal("0.25"))
    assert series.native is not None
    assert (series.native.offset, series.native.buckets) == (-1, (75.0, 25.0))


NATIVE = """from compiler.dsl import SLO, Alerting, NativeLatencySLI, Tier

slo = SLO(
    service="api",
    name="latency",
    objective=99,
    sli=NativeLatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.3),
    alerting=Alerting(name="ApiLatencyBudgetBurn", page=Tier(enabled=False)),
)
"""


def test_native_latency_tests_run_on_prometheus_3_and_prometheus_2_says_it_skipped_them(
    make_project: ProjectFactory,
) -> None:
    project = make_project(slos=NATIVE)
    project.build()
    assert "histogram_fraction(0.3, +Inf, " in project.read("prometheus/slos.rules.yaml")
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    older = next(line for line in lines if line.startswith("prometheus-2 "))
    newer = next(line for line in lines if line.startswith("prometheus-3 "))
    assert re.search(r": 0 passed, 0 failed, (\d+) skipped \(native-histogram input series, which only", older)
    assert re.search(r": (\d+) passed, 0 failed; ", newer)
    assert any(line.split()[:5] == ["ApiLatencyBudgetBurn", "fires:", "yes", "quiet:", "yes"] for line in lines)


MIXED_SERIES = """from compiler.dsl import Alert, Quiet, RuleGroup, RuleTest, counter, native_histogram

up = RuleGroup(
    "latency",
    rules=[
        Alert(
            "Slow",
            expr="histogram_fraction(0.5, +Inf, sum(rate(latency_seconds[5m]))) > 0.5",
            untested="the cases only need to run",
            tests=[
                RuleTest("classic", series=[counter("requests_total", 1)], expect=[Quiet(at="10m")]),
                RuleTest("native", series=[native_histogram("latency_seconds", {0.1: 9})], expect=[Quiet(at="10m")]),
                RuleTest("classic again", series=[counter("requests_total", 2)], expect=[Quiet(at="10m")]),
            ],
        ),
    ],
)
"""


def test_a_native_histogram_test_has_a_shard_of_its_own_that_promtool_2_does_not_run(
    make_project: ProjectFactory,
) -> None:
    project = make_project(latency=MIXED_SERIES)
    files = unit_tests.test_files(build_model(load_project(project.root)))
    shards = sorted(plan_shards(files, timedelta(minutes=1), 2), key=lambda shard: shard.first)
    assert [[test.test.name for test in shard.tests] for shard in shards] == [
        ["classic"],
        ["native"],
        ["classic again"],
    ]
    older = Engine("prometheus-2", Promtool(("promtool",)), "2.42.0")
    newer = Engine("prometheus-3", Promtool(("promtool",)), "3.5.3")
    assert [shard.runs_on(older) for shard in shards] == [True, False, True]
    assert all(shard.runs_on(newer) for shard in shards)
