"""`range_windows`: every window that decides an expression's value, through the recording rules it reads."""

from __future__ import annotations

from datetime import timedelta

from compiler.promql.windows import range_windows

MINUTE = timedelta(minutes=1)


def test_ranges_and_subqueries_of_the_expression() -> None:
    assert range_windows("rate(x_total[5m]) + max_over_time(y[1h:1m])", {}) == {5 * MINUTE, 60 * MINUTE}
    assert range_windows("up", {}) == set()


def test_windows_of_the_recording_rules_read_count_transitively() -> None:
    records = {
        "job:x:rate5m": ["sum by (job) (rate(x_total[5m]))"],
        "job:x:avg1h": ["avg_over_time(job:x:rate5m[1h])"],
    }
    assert range_windows("job:x:avg1h > 1", records) == {5 * MINUTE, 60 * MINUTE}


def test_a_record_that_reads_itself_ends() -> None:
    records = {"a:b:c": ["rate(a:b:c[2m])"]}
    assert range_windows("a:b:c", records) == {2 * MINUTE}


def test_a_raw_string_with_a_backslash_is_read_as_prometheus_reads_it() -> None:
    """Prometheus reads no escapes in a raw string; `\\d` there is two characters, not an unknown escape."""
    expr = 'label_replace(rate(requests_total[5m]), "code", "$1", "status", `(\\d+)`)'
    assert range_windows(expr, {}) == {timedelta(minutes=5)}
