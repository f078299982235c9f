"""Per-tier control and any period: a tier's severity, labels and windows, turning it off, the stable
`sloth_severity` label an inhibit rule matches, and periods of any whole number of days, each proven by its
generated tests under `moncc test`."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.numbers import format_number
from compiler.dsl.rule_tests import Fires
from compiler.dsl.slo import SLO, Alerting, RatioSLI, Tier, Window
from compiler.dsl.slo_windows import Severity
from compiler.problems import DefinitionError
from compiler.slo import burn_rate_alerts, sli_recording_rules, slo_rule_groups
from tests.conftest import ProjectFactory

THIS_FILE = Path(__file__).resolve()
REPOSITORY = THIS_FILE.parents[1]
AVAILABILITY = RatioSLI(errors="sum(rate(e_total[{{window}}]))", total="sum(rate(t_total[{{window}}]))")


def slo(period: str = "30d", objective: float = 99.9, *, page: Tier | None = None, ticket: Tier | None = None) -> SLO:
    return SLO(
        service="api",
        name="availability",
        objective=objective,
        period=period,
        sli=AVAILABILITY,
        alerting=Alerting(name="ApiBudgetBurn", labels={"team": "api"}, page=page, ticket=ticket),
    )


def refused(make: Callable[[], object]) -> str:
    """The one message a DefinitionError holds, checked to point into this file (the CLI test below checks the
    line an author sees)."""
    with pytest.raises(DefinitionError) as raised:
        make()
    (problem,) = raised.value.problems
    assert problem.location is not None
    assert problem.location.path == THIS_FILE
    return problem.message


# --- severity, labels, enabled ------------------------------------------------------------------------------------


def test_each_tier_has_its_own_severity_and_labels() -> None:
    page, ticket = burn_rate_alerts(
        slo(page=Tier(severity="critical", labels={"pager": "on-call"}), ticket=Tier(severity="info"))
    )
    assert page.labels == {"pager": "on-call", "severity": "critical", "sloth_severity": "page", "team": "api"}
    assert ticket.labels == {"severity": "info", "sloth_severity": "ticket", "team": "api"}


def test_a_tier_overrides_the_shared_labels() -> None:
    (page, _) = burn_rate_alerts(slo(page=Tier(labels={"team": "sre"})))
    assert page.labels["team"] == "sre"


@pytest.mark.parametrize("off", [Severity.PAGE, Severity.TICKET])
def test_a_disabled_tier_has_no_alert_and_no_tests(off: Severity) -> None:
    made = slo(page=Tier(enabled=False)) if off is Severity.PAGE else slo(ticket=Tier(enabled=False))
    (alert,) = burn_rate_alerts(made)
    assert alert.labels["sloth_severity"] != off.value
    (_, _, alerts) = slo_rule_groups(made)
    assert alerts.tests
    assert all(not test.name.startswith(off.value) for test in alerts.tests)
    for test in alerts.tests:
        assert all(e.labels.get("sloth_severity") != off.value for e in test.expect if isinstance(e, Fires))


def test_the_tier_label_is_the_generators() -> None:
    message = refused(lambda: Tier(labels={"sloth_severity": "pager"}))
    assert message == (
        "alert tier: labels: label 'sloth_severity': labels starting with 'sloth_' are set by the generator"
    )


def test_an_inhibit_rule_on_the_tier_label_mutes_the_ticket_while_the_page_fires() -> None:
    """`sloth_severity` is stable: this rule mutes an SLO's ticket while its own page fires, and nothing else."""
    rule = InhibitRule(source=['sloth_severity="page"'], target=['sloth_severity="ticket"'], equal=["sloth_id"])
    (_, _, alerts) = slo_rule_groups(slo(page=Tier(severity="critical"), ticket=Tier(severity="warning")))
    both = [fired for test in alerts.tests if len(fired := [e for e in test.expect if isinstance(e, Fires)]) == 2]
    assert both, "a generated test plants a ratio at which page and ticket fire together"
    page, ticket = sorted(both[0], key=lambda fires: fires.labels["sloth_severity"])
    assert page.labels["sloth_severity"] == "page" and ticket.labels["sloth_severity"] == "ticket"
    assert rule.inhibits(page.labels, ticket.labels)
    assert not rule.inhibits(ticket.labels, page.labels)
    other = {**page.labels, "sloth_id": "api-latency"}
    assert not rule.inhibits(other, ticket.labels)


# --- custom windows -----------------------------------------------------------------------------------------------


def test_windows_by_budget_percent_scale_with_the_period() -> None:
    page = Tier(
        windows=[Window(short="5m", long="1h", budget_percent=2), Window(short="15m", long="2h", budget_percent=4)]
    )
    assert [format_number(c.factor) for c in slo("30d", page=page).burn_rate_conditions(Severity.PAGE)] == [
        "14.4",
        "14.4",
    ]
    assert [format_number(c.factor) for c in slo("7d", page=page).burn_rate_conditions(Severity.PAGE)] == [
        "3.36",
        "3.36",
    ]


def test_a_tier_with_its_own_windows_alerts_on_them() -> None:
    ticket = Tier(windows=[Window(short="1h", long="12h", factor=2)])
    custom = slo(ticket=ticket)
    _, alert = burn_rate_alerts(custom)
    assert alert.expr == (
        "(\n"
        '    max(slo:sli_error:ratio_rate1h{sloth_id="api-availability", sloth_service="api", '
        'sloth_slo="availability"} > (2 * 0.001)) without (sloth_window)\n'
        "    and\n"
        '    max(slo:sli_error:ratio_rate12h{sloth_id="api-availability", sloth_service="api", '
        'sloth_slo="availability"} > (2 * 0.001)) without (sloth_window)\n'
        ")"
    )
    windows = [record.labels["sloth_window"] for record in sli_recording_rules(custom)]
    assert windows == ["5m", "30m", "1h", "2h", "6h", "12h", "1d", "3d", "30d"]
    (_, _, alerts) = slo_rule_groups(custom)
    names = [test.name.split(" (")[0] for test in alerts.tests]
    assert "ticket fires just above 2x the budget over 1h and 12h" in names
    assert "ticket quiet just below 2x the budget" in names


def test_default_windows_are_the_workbooks() -> None:
    assert [(format_number(c.factor), c.short, c.long) for c in slo().burn_rate_conditions(Severity.TICKET)] == [
        ("3", timedelta(hours=2), timedelta(days=1)),
        ("1", timedelta(hours=6), timedelta(days=3)),
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Window(short="1h", long="1h", factor=2),
            "alert window: short window 1h must be shorter than long window 1h",
        ),
        (
            lambda: Window(short="1m", long="1h", factor=2),
            "alert window: short window 1m is shorter than 5m: rate() over it holds too few samples to be trusted",
        ),
        (
            lambda: Window(short="5m", long="1h"),
            "alert window: give either budget_percent= (the share of the budget spent within long) or factor=",
        ),
        (
            lambda: Window(short="5m", long="1h", factor=2, budget_percent=2),
            "alert window: give either budget_percent= (the share of the budget spent within long) or factor=",
        ),
        (
            lambda: Window(short="5m", long="1h", budget_percent=120),
            "alert window: budget_percent: 120 is not a percentage of the error budget above 0 and at most 100",
        ),
        (
            lambda: Window(short="5m", long="1h", factor=0),
            "alert window: factor: 0 is not a burn-rate factor above 0, such as 14.4",
        ),
        (
            lambda: Tier(windows=[]),
            "alert tier: windows: expected a non-empty list of Window(...)",
        ),
        (
            lambda: Tier(windows=[Window(short="5m", long="1h", factor=2), Window(short="5m", long="1h", factor=3)]),
            "alert tier: windows: window 5m/1h is given twice",
        ),
    ],
)
def test_bad_windows_are_refused(make: Callable[[], object], message: str) -> None:
    assert refused(make) == message


def test_a_long_window_must_lie_within_the_period() -> None:
    ticket = Tier(windows=[Window(short="6h", long="7d", budget_percent=10)])
    message = refused(lambda: slo("7d", ticket=ticket))
    assert message == (
        "slo api-availability: ticket tier, window 6h/1w: long window 1w must be shorter than the 1w period"
    )


def test_a_factor_must_be_reachable_within_the_period() -> None:
    page = Tier(windows=[Window(short="5m", long="1h", factor=200)])
    message = refused(lambda: slo("7d", page=page))
    assert message == (
        "slo api-availability: page tier, window 5m/1h: factor 200 spends 119% of the 1w error budget "
        "within 1h, so the alert would fire only once the budget is gone: at most 168 fits the period"
    )


def test_a_tier_whose_own_windows_could_never_fire_is_refused() -> None:
    page = Tier(windows=[Window(short="5m", long="1h", factor=20)])
    message = refused(lambda: slo(objective=90, page=page))
    assert message.startswith("slo api-availability: the page alert could never fire: its burn-rate thresholds (20)")


# --- periods ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "factors"),
    [
        ("7d", ["3.36", "1.4", "0.7", "0.233333333333"]),
        ("14d", ["6.72", "2.8", "1.4", "0.466666666667"]),
        ("28d", ["13.44", "5.6", "2.8", "0.933333333333"]),
        ("30d", ["14.4", "6", "3", "1"]),
        ("90d", ["43.2", "18", "9", "3"]),
    ],
)
def test_workbook_factors_for_each_period(period: str, factors: list[str]) -> None:
    made = slo(period)
    found = [c.factor for severity in Severity for c in made.burn_rate_conditions(severity)]
    assert [format_number(factor) for factor in found] == factors


def test_a_7_day_period_keeps_the_3_day_window() -> None:
    """3d is within 7d: 10% of a week's budget in 3 days is a burn rate of 0.23, a ticket for a slow leak."""
    (_, ticket) = burn_rate_alerts(slo("7d"))
    assert "slo:sli_error:ratio_rate3d" in ticket.expr
    assert "(0.233333333333 * 0.001)" in ticket.expr


def test_the_repository_has_an_slo_of_another_period_with_a_tier_of_its_own() -> None:
    module = runpy.run_path(str(REPOSITORY / "rules_src" / "slos.py"))
    found = [value for value in module.values() if isinstance(value, SLO)]
    assert any(
        made.period.days not in (28, 30)
        and made.alerting is not None
        and any(tier.windows for tier in (made.alerting.page, made.alerting.ticket))
        for made in found
    )


PERIOD_MODULE = """from compiler.dsl.slo import SLO, Alerting, RatioSLI, Tier, Window

slo = SLO(
    service="api",
    name="availability",
    objective=99.5,
    period="{period}",
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{{job="api",code=~"5.."}}[{{{{window}}}}]))',
        total='sum(rate(http_requests_total{{job="api"}}[{{{{window}}}}]))',
    ),
    alerting=Alerting(
        name="ApiBudgetBurn",
        description="{{{{ $value | humanizePercentage }}}} of requests fail",
        page=Tier(severity="critical", for_="2m"),
        ticket=Tier(severity="warning", windows=[Window(short="30m", long="12h", budget_percent=5)]),
    ),
)

workbook = SLO(
    service="api",
    name="workbook",
    objective=99.9,
    period="{period}",
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{{job="api",code=~"5.."}}[{{{{window}}}}]))',
        total='sum(rate(http_requests_total{{job="api"}}[{{{{window}}}}]))',
    ),
    alerting=Alerting(name="ApiWorkbookBudgetBurn"),
)
"""


def test_a_window_that_does_not_fit_is_one_line_at_the_slo(make_project: ProjectFactory) -> None:
    module = PERIOD_MODULE.format(period="14d").replace('long="12h", budget_percent=5', 'long="12h", factor=50')
    project = make_project(slos=module)
    assert project.build_fails() == [
        "rules_src/slos.py:3: slo api-availability: ticket tier, window 30m/12h: factor 50 spends 179% "
        "of the 2w error budget within 12h, so the alert would fire only once the budget is gone: at most 28 fits "
        "the period"
    ]


@pytest.mark.parametrize("period", ["7d", "14d", "28d", "30d", "90d"])
def test_generated_tests_pass_for_each_period(make_project: ProjectFactory, period: str) -> None:
    project = make_project(slos=PERIOD_MODULE.format(period=period))
    assert project.build().exit_code == 0
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    summary = next(line for line in result.stdout.splitlines() if line.startswith("alerts: "))
    assert summary.startswith("alerts: 4, fully tested: 4 (100%)")
    assert summary.endswith(" 0 failed")
