"""The `alert/for-missing` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.dsl.durations import format_duration
from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule


class ForMissing(AlertCheck):
    """An alert without `for_`, or with one shorter than its group's evaluation interval, fires on one bad evaluation.

    A single failed scrape, a restart or a brief spike then pages someone, and the alert resolves before
    anyone looks. Give the condition time to prove itself: `for_` of a few evaluation intervals. An alert
    whose expression already looks back over a long window (an SLO burn rate, say) may use a short `for_`,
    but not none. A `for_` shorter than one evaluation interval acts exactly as no `for_` at all.

    Alerts generated for an SLO are exempt: each fires only when a short window confirms its long one,
    which is the job `for` does elsewhere (Google SRE workbook, chapter 5).
    """

    name = "alert/for-missing"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("api", [
            Alert(  # bad: no for_, so one failed scrape pages
                "ApiDown",
                expr="up{job='api'} == 0",
                severity="critical",
            ),
            Alert(
                "ApiSlow",
                expr="job:http_request_duration_seconds:p99 > 1",
                for_="30s",  # bad: shorter than the 1m evaluation interval
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("api", [
            Alert("ApiDown", expr="up{job='api'} == 0", for_="5m", severity="critical"),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        if alert.slo is not None:
            return
        interval = alert.evaluation_interval(context)
        wait = alert.alert.for_
        if not wait:
            yield Report("no for_: one bad evaluation fires it; wait a few evaluation intervals", alert.location)
        elif wait < interval:
            yield Report(
                f"for_ {format_duration(wait)} is shorter than the evaluation interval {format_duration(interval)}, "
                "so it waits for nothing",
                alert.at("for_"),
            )
