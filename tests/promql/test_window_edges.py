"""The window rule: which samples a window holds on Prometheus 2 (`[t-o-r, t-o]`) and 3 (`(t-o-r, t-o]`), and
whether the edge sample changes what a range function yields (each case checked against both promtools in
tests/test_engine_agreement.py and by hand)."""

from __future__ import annotations

from compiler.promql.range_functions import UNKNOWN, Engine, range_function_value
from compiler.promql.series_notation import Sample, expand
from compiler.promql.window_edges import window_reads

MINUTE = 60_000


def test_notation_expands_as_promtool_does() -> None:
    samples = expand("1+2x2 _x2 stale 0+1e-05x1", MINUTE)
    assert [(s.at_ms // MINUTE, s.stale) for s in samples] == [(0, 0), (1, 0), (2, 0), (5, 1), (6, 0), (7, 0)]
    assert [s.value for s in samples if not s.stale] == [1.0, 3.0, 5.0, 0.0, 1e-05]


def test_offset_and_subquery_windows() -> None:
    reads = window_reads("rate(x[15m] offset 2m)", 20 * MINUTE, {}, MINUTE)
    [read] = reads.selectors
    assert (read.start_ms, read.end_ms, read.function) == (3 * MINUTE, 18 * MINUTE, "rate")
    edges = window_reads("max_over_time(x[2m:1m])", 20 * MINUTE, {}, MINUTE).fixed_edges
    assert [edge.edge_ms for edge in edges] == [18 * MINUTE]
    assert window_reads("max_over_time(x[2m:1m])", 20 * MINUTE + 30_000, {}, MINUTE).fixed_edges == []


def test_a_window_over_a_record_has_an_edge_at_multiples_of_the_evaluation_interval() -> None:
    records = {"job:x:rate5m": ["rate(x[5m])"]}
    edges = window_reads("max_over_time(job:x:rate5m[10m])", 30 * MINUTE, records, MINUTE).fixed_edges
    assert [edge.edge_ms for edge in edges] == [20 * MINUTE]
    assert window_reads("max_over_time(job:x:rate5m[10m])", 5 * MINUTE, records, MINUTE).fixed_edges == []
    reads = window_reads("job:x:rate5m > 1", 90_000, records, MINUTE).selectors
    assert [(read.function, read.end_ms) for read in reads] == [("rate", MINUTE)]


def test_a_steady_counter_gives_one_rate_and_a_step_two() -> None:
    steady = [Sample(m * MINUTE, 10.0 * m) for m in range(40)]
    window = (22 * MINUTE, 37 * MINUTE, 15 * MINUTE)
    older = range_function_value("increase", steady[22:38], *window, Engine.PROMETHEUS_2)
    newer = range_function_value("increase", steady[23:38], *window, Engine.PROMETHEUS_3)
    assert older == newer == 150
    steps = [Sample(m * MINUTE, float(m // 5)) for m in range(40)]
    assert range_function_value("increase", steps[22:38], *window, Engine.PROMETHEUS_2) == 3
    assert range_function_value("increase", steps[23:38], *window, Engine.PROMETHEUS_3) == 3 * 15 / 14
    assert range_function_value("quantile_over_time", steps, *window, Engine.PROMETHEUS_2) is UNKNOWN
