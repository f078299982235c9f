"""`SLO(min_events=...)`: no burn-rate alert judges a window that counted fewer events (Sloth #666, pages at
3 a.m. for three failures in five requests). The floor is a count per window; the generated tests prove that a
tier stays quiet just below it with every event an error, and fires just above it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compiler.dsl import NativeLatencySLI
from compiler.dsl.rule_tests import Fires, Quiet
from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier, Window
from compiler.problems import DefinitionError
from compiler.slo import burn_rate_alerts, sli_recording_rules, slo_rule_groups
from tests.conftest import Project, ProjectFactory

THIS_FILE = Path(__file__).resolve()

AVAILABILITY = RatioSLI(
    errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
    total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
)
SELECTOR = '{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"}'


def floored(min_events: int = 100, **arguments: object) -> SLO:
    values: dict[str, object] = {"sli": AVAILABILITY, "alerting": Alerting(name="ApiAvailabilityBudgetBurn")}
    values.update(arguments)
    return SLO(service="api", name="availability", min_events=min_events, **values)  # type: ignore[arg-type]


# --- what it refuses, one line at the author's line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"min_events": 0}, "min_events: 0 is not a number of events: give a whole number of at least 1, such as 100"),
        ({"min_events": -5}, "min_events: -5 is not a number of events: give a whole number of at least 1, such as 100"),
        ({"min_events": 2.5}, "min_events: 2.5 is not a number of events: give a whole number of at least 1, such as 100"),
        ({"min_events": True}, "min_events: True is not a number of events: give a whole number of at least 1, such as 100"),
        ({"min_events": 10, "alerting": None}, "min_events: the floor applies to the burn-rate alerts; give alerting= too"),
        (
            {"min_events": 10, "sli": ErrorRatioSLI(query="sum(rate(e_total[{{window}}])) / sum(rate(t_total[{{window}}]))")},
            "min_events: the floor counts the events of a RatioSLI's total or a latency SLI's histogram count, "
            "not of an error-ratio SLI, whose one ratio query counts no events; write the SLI as "
            "RatioSLI(errors=..., total=...), LatencySLI(...) or NativeLatencySLI(...)",
        ),
        (
            {"min_events": 10, "test_traffic": lambda ratio: []},
            "min_events: the generated tests scale synthesized traffic around the floor, which test_traffic "
            "replaces; leave test_traffic out",
        ),
    ],
)  # fmt: skip
def test_a_bad_floor_is_one_line_at_the_slo(arguments: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"sli": AVAILABILITY, "alerting": Alerting(name="ApiAvailabilityBudgetBurn")}
    values.update(arguments)
    line = sys._getframe().f_lineno + 2
    with pytest.raises(DefinitionError) as raised:
        SLO(service="api", name="availability", **values)  # type: ignore[arg-type]
    [problem] = raised.value.problems
    assert problem.message == f"slo api-availability: {message}"
    assert problem.location is not None and (problem.location.path, problem.location.line) == (THIS_FILE, line)


# --- the rules ----------------------------------------------------------------------------------------------------


def test_without_min_events_no_record_nor_clause_is_added() -> None:
    slo = SLO(service="api", name="availability", sli=AVAILABILITY, alerting=Alerting(name="ApiAvailabilityBudgetBurn"))
    assert not any("sli_total" in rule.name for rule in sli_recording_rules(slo))
    assert not any("sli_total" in alert.expr for alert in burn_rate_alerts(slo))


def test_the_total_events_are_recorded_per_alert_window_after_the_sloth_records() -> None:
    slo = floored()
    plain = SLO(
        service="api", name="availability", sli=AVAILABILITY, alerting=Alerting(name="ApiAvailabilityBudgetBurn")
    )
    rules = sli_recording_rules(slo)
    assert [rule.model_dump() for rule in rules[:8]] == [rule.model_dump() for rule in sli_recording_rules(plain)]
    added = rules[8:]
    windows = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
    assert [rule.name for rule in added] == [f"slo:sli_total:rate{window}" for window in windows]
    assert added[0].expr == 'sum(rate(http_requests_total{job="api"}[5m]))'
    assert added[0].labels == {
        "sloth_id": "api-availability",
        "sloth_service": "api",
        "sloth_slo": "availability",
        "sloth_window": "5m",
    }


def test_a_latency_sli_floors_the_histogram_count() -> None:
    sli = LatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.5)
    rules = sli_recording_rules(floored(sli=sli))
    assert rules[-1].expr == 'sum(rate(http_request_duration_seconds_count{job="api"}[3d]))'


NATIVE_LATENCY = NativeLatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.3)


def test_a_native_latency_sli_floors_the_native_histogram_count() -> None:
    rules = sli_recording_rules(floored(sli=NATIVE_LATENCY))
    added = [rule for rule in rules if rule.name.startswith("slo:sli_total:")]
    assert [rule.name for rule in added] == [
        f"slo:sli_total:rate{window}" for window in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
    ]
    assert added[0].expr == 'histogram_count(sum(rate(http_request_duration_seconds{job="api"}[5m])))'
    assert added[-1].expr == 'histogram_count(sum(rate(http_request_duration_seconds{job="api"}[3d])))'
    page, ticket = burn_rate_alerts(floored(sli=NATIVE_LATENCY))
    assert f"    max(slo:sli_total:rate5m{SELECTOR} >= (100 / 300)) without (sloth_window)\n" in page.expr
    assert f"    max(slo:sli_total:rate3d{SELECTOR} >= (100 / 259200)) without (sloth_window)\n" in ticket.expr


def test_each_condition_needs_min_events_in_both_its_windows() -> None:
    page, ticket = burn_rate_alerts(floored(min_events=100))
    first_condition = page.expr.split("\nor\n")[0]
    assert first_condition == (
        "(\n"
        f"    max(slo:sli_error:ratio_rate5m{SELECTOR} > (14.4 * 0.001)) without (sloth_window)\n"
        "    and\n"
        f"    max(slo:sli_error:ratio_rate1h{SELECTOR} > (14.4 * 0.001)) without (sloth_window)\n"
        "    and\n"
        f"    max(slo:sli_total:rate5m{SELECTOR} >= (100 / 300)) without (sloth_window)\n"
        "    and\n"
        f"    max(slo:sli_total:rate1h{SELECTOR} >= (100 / 3600)) without (sloth_window)\n"
        ")"
    )
    assert f"slo:sli_total:rate3d{SELECTOR} >= (100 / 259200)" in ticket.expr


# --- the generated tests ------------------------------------------------------------------------------------------


def _tests(slo: SLO) -> dict[str, object]:
    alerts = slo_rule_groups(slo)[-1]
    return {test.name: test for test in alerts.tests}


def test_each_tier_gets_a_quiet_test_below_the_floor_and_a_firing_one_above() -> None:
    tests = _tests(floored(min_events=100))
    floor_names = [name for name in tests if "min_events" in name]
    assert floor_names == [
        "page quiet with every event an error, 95 events in 30m (min_events 100)",
        "page fires with every event an error, 105 events in 30m (min_events 100)",
        "ticket quiet with every event an error, 95 events in 6h (min_events 100)",
        "ticket fires with every event an error, 105 events in 6h (min_events 100)",
    ]
    page_quiet = tests[floor_names[0]]
    # 95 events in 30m is 3.1666... a minute, every one an error; the ticket's 6h window counts enough of them.
    assert [series.render(page_quiet.interval, 3) for series in page_quiet.series] == [  # type: ignore[attr-defined]
        "0+3.16666666667x2",
        "0+0x2",
    ]
    [expected] = page_quiet.expect  # type: ignore[attr-defined]
    assert isinstance(expected, Fires) and expected.labels["sloth_severity"] == "ticket"
    ticket_quiet = tests[floor_names[2]]
    [expected] = ticket_quiet.expect  # type: ignore[attr-defined]
    assert isinstance(expected, Quiet)
    ticket_fires = tests[floor_names[3]]
    assert [fires.labels["sloth_severity"] for fires in ticket_fires.expect] == ["ticket"]  # type: ignore[attr-defined]


def test_the_burn_rate_tests_plant_enough_events_to_clear_the_floor() -> None:
    plain = _tests(floored(min_events=10**6))
    scaled = _tests(floored(min_events=10**8))
    name = "page fires just above 14.4x the budget over 5m and 1h (error ratio 0.01512)"
    # 100,000 events a second give a 4-digit ratio; twice 10^8 events in 5m need 7 times as many
    assert [series.per_second for series in plain[name].series] == [1512, 98488]  # type: ignore[attr-defined]
    assert [series.per_second for series in scaled[name].series] == [7 * 1512, 7 * 98488]  # type: ignore[attr-defined]


def test_native_histogram_traffic_scales_every_bucket_count_and_sum() -> None:
    plain = _tests(floored(min_events=10**7, sli=NATIVE_LATENCY))
    scaled = _tests(floored(min_events=10**8, sli=NATIVE_LATENCY))
    name = "page fires just above 14.4x the budget over 5m and 1h (error ratio 0.01512)"
    # 100,000 requests a second, 1512 of them in (0.5, 1], above 0.3 s; twice 10^8 in 5m need 7 times as many
    [native] = [series.native for series in plain[name].series]  # type: ignore[attr-defined]
    [seven_times] = [series.native for series in scaled[name].series]  # type: ignore[attr-defined]
    assert native is not None and seven_times is not None
    assert (native.offset, native.buckets, native.count) == (-2, (98488, 0, 1512), 100000)
    assert (seven_times.offset, seven_times.buckets, seven_times.count) == (-2, (7 * 98488, 0, 7 * 1512), 7 * 100000)
    assert (native.sum, seven_times.sum) == (0.25 * 98488 + 1512, 7 * (0.25 * 98488 + 1512))


def test_a_native_latency_floor_test_plants_every_request_above_the_threshold() -> None:
    tests = _tests(
        floored(sli=NATIVE_LATENCY, alerting=Alerting(name="ApiLatencyBudgetBurn", ticket=Tier(enabled=False)))
    )
    quiet = tests["page quiet with every event an error, 95 events in 30m (min_events 100)"]
    # 95 requests in 30m is 3.1666... a minute, every one in (0.5, 1], above the 0.3 s threshold
    assert [series.render(quiet.interval, 3) for series in quiet.series] == [  # type: ignore[attr-defined]
        "{{schema:0 sum:0 count:0 offset:-2 buckets:[0 0 0]}}"
        "+{{schema:0 sum:3.16666666667 count:3.16666666667 offset:-2 buckets:[0 0 3.16666666667]}}x2"
    ]
    assert [type(expected) for expected in quiet.expect] == [Quiet]  # type: ignore[attr-defined]
    fires = tests["page fires with every event an error, 105 events in 30m (min_events 100)"]
    assert [type(expected) for expected in fires.expect] == [Fires]  # type: ignore[attr-defined]


def test_a_disabled_tier_gets_no_floor_tests() -> None:
    slo = floored(alerting=Alerting(name="ApiAvailabilityBudgetBurn", ticket=Tier(enabled=False)))
    assert [name for name in _tests(slo) if "min_events" in name] == [
        "page quiet with every event an error, 95 events in 30m (min_events 100)",
        "page fires with every event an error, 105 events in 30m (min_events 100)",
    ]


def test_a_tier_of_its_own_windows_floors_its_longest_short_window() -> None:
    ticket = Tier(windows=[Window(short="10m", long="2h", factor=3), Window(short="1h", long="12h", factor=2)])
    slo = floored(alerting=Alerting(name="ApiAvailabilityBudgetBurn", page=Tier(enabled=False), ticket=ticket))
    [alert] = burn_rate_alerts(slo)
    assert f"slo:sli_total:rate10m{SELECTOR} >= (100 / 600)" in alert.expr
    assert [name for name in _tests(slo) if "min_events" in name] == [
        "ticket quiet with every event an error, 95 events in 1h (min_events 100)",
        "ticket fires with every event an error, 105 events in 1h (min_events 100)",
    ]


# --- through the CLI, on both engines ----------------------------------------------------------------------------

FLOORED = """from compiler.dsl.slo import SLO, Alerting, LatencySLI, RatioSLI, Tier, Window

availability = SLO(
    service="api",
    name="availability",
    objective=99.9,
    min_events=50,
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
        total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
    ),
    alerting=Alerting(name="ApiAvailabilityBudgetBurn", page=Tier(severity="critical", for_="2m"), ticket=Tier(enabled=False)),
)

latency = SLO(
    service="api",
    name="latency",
    objective=99,
    min_events=2000,
    sli=LatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.5),
    alerting=Alerting(
        name="ApiLatencyBudgetBurn",
        page=Tier(enabled=False),
        ticket=Tier(windows=[Window(short="10m", long="2h", factor=3), Window(short="1h", long="12h", factor=2)]),
    ),
)
"""


def test_the_floor_tests_pass_moncc_test_on_both_engines(make_project: ProjectFactory) -> None:
    project = make_project(slos=FLOORED)
    project.build()
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    summary = next(line for line in result.stdout.splitlines() if line.startswith("alerts: "))
    assert summary.startswith("alerts: 2, fully tested: 2 (100%)") and summary.endswith(" 0 failed")
    tests = project.read("tests/slos.test.yaml")
    assert "page quiet with every event an error, 47.5 events in 30m (min_events 50)" in tests
    assert "ticket fires with every event an error, 2100 events in 1h (min_events 2000)" in tests


def test_a_bad_floor_through_the_cli_is_one_line(project: Project) -> None:
    project.write("slos", FLOORED.replace("min_events=50", "min_events=0"))
    assert project.build_fails() == [
        "rules_src/slos.py:3: slo api-availability: min_events: 0 is not a number of events: give a whole number "
        "of at least 1, such as 100"
    ]


NATIVE_FLOORED = """from compiler.dsl import SLO, Alerting, NativeLatencySLI, Tier

latency = SLO(
    service="api",
    name="latency",
    objective=99,
    min_events=100,
    sli=NativeLatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.3),
    alerting=Alerting(name="ApiLatencyBudgetBurn", page=Tier(severity="critical", for_="2m"), ticket=Tier(enabled=False)),
)
"""


def test_a_native_latency_floor_passes_moncc_test_on_prometheus_3(make_project: ProjectFactory) -> None:
    project = make_project(slos=NATIVE_FLOORED)
    project.build()
    rules = project.read("prometheus/slos.rules.yaml")
    assert 'expr: histogram_count(sum(rate(http_request_duration_seconds{job="api"}[30m])))' in rules
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    older = next(line for line in lines if line.startswith("prometheus-2 "))
    newer = next(line for line in lines if line.startswith("prometheus-3 "))
    assert ": 0 passed, 0 failed, " in older and "skipped (native-histogram input series" in older
    assert ": 6 passed, 0 failed; " in newer
    summary = next(line for line in lines if line.startswith("alerts: "))
    assert summary.startswith("alerts: 1, fully tested: 1 (100%)") and summary.endswith(" 0 failed")
    tests = project.read("tests/slos.test.yaml")
    assert "page quiet with every event an error, 95 events in 30m (min_events 100)" in tests
    assert "page fires with every event an error, 105 events in 30m (min_events 100)" in tests
