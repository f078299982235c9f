"""The SLO dashboard: one generated Grafana dashboard for all of a repository's SLOs.

A row per SLO: the SLI against its objective, the error budget left over the period, the burn rate over every
alert window, and whether its page or ticket alert fires. Every query reads the Sloth-named recording rules this
build generates, by `sloth_id`, so the dashboard is checked like any other (its queries parse and the records
it reads exist) and works on Sloth's own output too.
"""

from __future__ import annotations

from collections.abc import Sequence

from grafanalib.core import Dashboard, RowPanel, Stat, Target, Templating, Time, TimeSeries

from compiler.dsl.dashboards import DATASOURCE, datasource_variable, slo_error_budget_panel
from compiler.dsl.durations import format_duration
from compiler.dsl.slo import SLO
from compiler.dsl.slo_windows import sli_windows
from compiler.slo.identity import ID_LABEL, SEVERITY_LABEL, sli_error_metric

UID = "slo-overview"
FOLDER = "slo"
TITLE = "SLOs"


def slo_dashboard(slos: Sequence[SLO]) -> Dashboard:
    return Dashboard(
        title=TITLE,
        uid=UID,
        description="Every SLO of this repository: SLI against objective, error budget, burn rates, alerts.",
        tags=["slo", "generated"],
        refresh="1m",
        time=Time("now-7d", "now"),
        templating=Templating([datasource_variable()]),
        panels=[slo_row(slo) for slo in slos],
    )


def slo_row(slo: SLO) -> RowPanel:
    title = f"{slo.service} {slo.name}: {format_objective(slo)} over {slo.period.days}d"
    panels = [
        sli_panel(slo),
        slo_error_budget_panel(slo.service, slo.name, title="Error budget left", span=2),
        burn_rate_panel(slo),
    ]
    if slo.alerting is not None and slo.alerting.enabled:
        panels.append(alert_state_panel(slo))
    return RowPanel(title=title, panels=panels)


def format_objective(slo: SLO) -> str:
    return f"{slo.objective:g}%"


def _selector(slo: SLO) -> str:
    return f'{{{ID_LABEL}="{slo.slo_id}"}}'


def _target(expr: str, legend: str, ref_id: str) -> Target:
    return Target(expr=expr, legendFormat=legend, refId=ref_id, datasource=None)


def sli_panel(slo: SLO) -> TimeSeries:
    """The share of good events over the shortest window and the period, against the objective."""
    selector = _selector(slo)
    shortest, period = sli_windows(slo.period)[0], slo.period
    return TimeSeries(
        title="SLI vs objective",
        dataSource=DATASOURCE,
        unit="percentunit",
        span=4,
        legendDisplayMode="list",
        targets=[
            _target(f"1 - {sli_error_metric(shortest)}{selector}", f"SLI ({format_duration(shortest)})", "A"),
            _target(f"1 - {sli_error_metric(period)}{selector}", f"SLI ({format_duration(period)})", "B"),
            _target(f"slo:objective:ratio{selector}", "objective", "C"),
        ],
    )


def burn_rate_panel(slo: SLO) -> TimeSeries:
    """The error ratio over each alert window divided by the budget: 1 spends the budget exactly in the period."""
    selector = _selector(slo)
    targets = [
        _target(
            f"{sli_error_metric(window)}{selector} / on({ID_LABEL}) group_left() slo:error_budget:ratio{selector}",
            format_duration(window),
            chr(ord("A") + index),
        )
        for index, window in enumerate(slo.sli_windows()[:-1])
    ]
    return TimeSeries(
        title="Burn rate per window",
        dataSource=DATASOURCE,
        unit="short",
        span=4,
        legendDisplayMode="list",
        targets=targets,
    )


def alert_state_panel(slo: SLO) -> Stat:
    """How many of the SLO's burn-rate alerts fire, by severity (no data: none)."""
    assert slo.alerting is not None
    expr = (
        f'sum by ({SEVERITY_LABEL}) (ALERTS{{alertname="{slo.alerting.name}", {ID_LABEL}="{slo.slo_id}", '
        'alertstate="firing"})'
    )
    return Stat(
        title="Burn-rate alerts firing",
        targets=[_target(expr, f"{{{{{SEVERITY_LABEL}}}}}", "A")],
        dataSource=DATASOURCE,
        reduceCalc="lastNotNull",
        colorMode="background",
        noValue="none",
        span=2,
        thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}],
    )
