"""Build the routing subject the `alertmanager/*` checks look at, from DSL objects written in a test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from compiler.dsl import Alert, Alertmanager
from compiler.lint.check import Report, RoutingCheck
from compiler.lint.subjects import LintContext, LintedRouting
from compiler.load.metrics import Catalogue
from compiler.model.routing import route_alerts
from compiler.settings.lint import LintSettings

CONTEXT = LintContext(LintSettings(), Catalogue(), timedelta(minutes=1))


def alert(name: str, **labels: str) -> Alert:
    """An alert that fires with exactly these labels (no test shows it, so its own labels are all moncc knows)."""
    return Alert(name, expr="up == 0", for_="5m", labels=labels)


def run(check: RoutingCheck, config: Alertmanager, *alerts: Alert) -> list[Report]:
    """The check's reports on `config`, with `alerts` routed through it as the model routes them."""
    routing, _ = route_alerts(config, alerts, [])
    reports: Iterator[Report] = check.check(LintedRouting(routing), CONTEXT)
    return list(reports)
