"""Latency SLIs: a classic histogram's threshold must be one of its buckets, and the error names the nearest;
a native histogram's may be any value (`histogram_fraction`), its generated tests run on Prometheus 3 only."""

from __future__ import annotations

from tests.conftest import Project

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
