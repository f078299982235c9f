"""The `alert/severity` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule

LABEL = "severity"


class AlertSeverity(AlertCheck):
    """An alert without a `severity` label, or with a value Alertmanager does not route on, reaches nobody.

    Alertmanager routes on `severity`: `critical` pages the on-call, `warning` opens a ticket, `info` only
    shows on a dashboard. An alert without the label, or with a value no route matches (`high`, `P1`,
    `Critical`), falls through to the default receiver, which is often nobody. Give every alert
    `severity=` with one of the values in `[tool.moncc.lint] severity_labels` (by default `critical`,
    `warning` and `info`). A templated value (`{{ $labels.severity }}`) is left alone: only the result can tell.
    """

    name = "alert/severity"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("checkout", [
            Alert(  # bad: no severity label
                "CheckoutPaymentsFailing",
                expr='sum by (job) (rate(payment_attempts_total{job="checkout", result="error"}[5m])) > 1',
                for_="5m",
                summary="{{ $labels.job }} fails payments",
            ),
            Alert(
                "CheckoutSlow",
                expr="job:checkout_request_duration_seconds:p99_5m > 2",
                for_="10m",
                severity="page",  # bad: not critical, warning or info
                summary="{{ $labels.job }} p99 latency above 2s",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("checkout", [
            Alert(
                "CheckoutPaymentsFailing",
                expr='sum by (job) (rate(payment_attempts_total{job="checkout", result="error"}[5m])) > 1',
                for_="5m",
                severity="critical",
                summary="{{ $labels.job }} fails payments",
            ),
            Alert(
                "CheckoutSlow",
                expr="job:checkout_request_duration_seconds:p99_5m > 2",
                for_="10m",
                labels={"severity": "warning", "team": "checkout"},
                summary="{{ $labels.job }} p99 latency above 2s",
            ),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        allowed = context.settings.severity_labels
        value = alert.alert.labels.get(LABEL)
        if value is None:
            yield Report(
                f"no {LABEL} label: Alertmanager cannot route it; add severity= ({', '.join(allowed)})",
                alert.missing_at() if alert.slo is not None else alert.at("labels"),
            )
        elif value not in allowed and "{{" not in value:
            yield Report(
                f"{LABEL}={value!r} is none of {', '.join(allowed)}, so no Alertmanager route matches it",
                alert.entry_at(LABEL),
            )
