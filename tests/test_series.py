"""Series shapes render to promtool's expanding notation for the test's interval and length."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compiler.dsl import counter, gauge, histogram, raw, step

MINUTE = timedelta(minutes=1)


def test_a_counter_grows_by_its_rate_per_interval() -> None:
    assert counter("x_total", 1.5).render(MINUTE, 31) == "0+90x30"
    assert counter("x_total", 1.5).render(timedelta(seconds=15), 5) == "0+22.5x4"


def test_a_counter_changes_its_rate_without_repeating_a_sample() -> None:
    # 0/s for minutes 0..9, then 5/s: the first new sample (minute 10) is 300 above minute 9.
    assert counter("x_total", 0, changes={"10m": 5}).render(MINUTE, 31) == "0+0x9 300+300x20"


def test_gauges_and_steps_hold_their_level() -> None:
    assert gauge("queue_depth", 3).render(MINUTE, 11) == "3x10"
    assert gauge("queue_depth", 3, changes={"10m": 600}).render(MINUTE, 31) == "3x9 600x20"
    assert step("up", 1, 0, at="5m").render(MINUTE, 11) == "1x4 0x5"


def test_raw_notation_is_kept_as_written() -> None:
    assert raw('up{job="api"}', "1x10 _x5 stale").render(MINUTE, 3) == "1x10 _x5 stale"


def test_a_histogram_has_cumulative_buckets_count_and_sum() -> None:
    series = histogram("latency_seconds", {0.1: 90, 0.5: 99, "+Inf": 100}, labels={"job": "api"})
    rendered = {item.selector: item.render(MINUTE, 3) for item in series}
    assert rendered == {
        'latency_seconds_bucket{job="api", le="0.1"}': "0+5400x2",
        'latency_seconds_bucket{job="api", le="0.5"}': "0+5940x2",
        'latency_seconds_bucket{job="api", le="+Inf"}': "0+6000x2",
        'latency_seconds_count{job="api"}': "0+6000x2",
        'latency_seconds_sum{job="api"}': "0+840x2",  # (90*0.1 + 9*0.5 + 1*0.5) per second, per minute
    }


def test_a_histogram_needs_inf_and_cumulative_rates() -> None:
    with pytest.raises(ValueError, match=r"must include '\+Inf'"):
        histogram("latency_seconds", {0.1: 90})
    with pytest.raises(ValueError, match="must not decrease"):
        histogram("latency_seconds", {0.1: 90, 0.5: 80, "+Inf": 100})
