"""SLI recording rules: the error ratio over every window the alerts read, and over the whole period; with
`SLO(min_events=...)`, also the events per second over every window the alerts read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from compiler.dsl.durations import format_duration
from compiler.dsl.rule_tests import RuleTest
from compiler.dsl.rules import Record
from compiler.dsl.slo import SLO
from compiler.slo.alert_tests import sli_test
from compiler.slo.construct import DeferredTests, generated_record
from compiler.slo.identity import WINDOW_LABEL, id_selector, rule_labels, sli_error_metric, sli_total_metric


def sli_recording_rules(slo: SLO) -> list[Record]:
    """`slo:sli_error:ratio_rate<window>` for each alert window from the SLI's query, then the period's.

    The 5m record carries a test that it records the planted ratio exactly, when the traffic is synthesized
    (whole-number rates make the ratio exact; the author's own `test_traffic` need not)."""
    *alert_windows, period = slo.sli_windows()
    first, *others = alert_windows
    rules = [window_sli_record(slo, first, DeferredTests(lambda: _sli_tests(slo)))]
    rules.extend(window_sli_record(slo, window) for window in others)
    rules.append(period_sli_record(slo, alert_windows[0], period))
    if slo.min_events is not None:
        rules.extend(window_total_record(slo, window) for window in alert_windows)
    return rules


def _sli_tests(slo: SLO) -> list[RuleTest]:
    traffic = slo.planted_traffic()
    return [sli_test(slo, traffic)] if traffic is not None and slo.test_traffic is None else []


def window_sli_record(slo: SLO, window: timedelta, tests: Sequence[RuleTest] = ()) -> Record:
    duration = format_duration(window)
    return generated_record(
        slo,
        sli_error_metric(window),
        slo.sli.error_ratio_query(duration),
        rule_labels(slo, **{WINDOW_LABEL: duration}),
        tests,
    )


def window_total_record(slo: SLO, window: timedelta) -> Record:
    """`slo:sli_total:rate<window>`: the SLI's events per second, which the alerts' `min_events` clause reads.
    Sloth has no such record; its own records stay as they are."""
    duration = format_duration(window)
    query = slo.sli.events_query(duration)
    assert query is not None
    return generated_record(slo, sli_total_metric(window), query, rule_labels(slo, **{WINDOW_LABEL: duration}))


def period_sli_record(slo: SLO, base_window: timedelta, period: timedelta) -> Record:
    """The period's error ratio as the mean of the shortest window's ratios, as Sloth computes it: cheap to
    evaluate, however long the period."""
    base = f"{sli_error_metric(base_window)}{id_selector(slo)}[{format_duration(period)}]"
    return generated_record(
        slo,
        sli_error_metric(period),
        f"sum_over_time({base})\n/ ignoring ({WINDOW_LABEL})\ncount_over_time({base})",
        rule_labels(slo, **{WINDOW_LABEL: format_duration(period)}),
    )
