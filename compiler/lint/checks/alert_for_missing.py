"""The `alert/for-missing` check."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import promql_parser as promql

from compiler.dsl.durations import format_duration
from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule, Query
from compiler.promql.nodes import COMPARISONS, function_name, is_scalar, operator, walk
from compiler.promql.selectors import metric_name, selectors


class ForMissing(AlertCheck):
    """An alert without `for_`, or with one shorter than its group's evaluation interval, fires on one bad evaluation.

    A single failed scrape, a restart or a brief spike then pages someone, and the alert resolves before
    anyone looks. Give the condition time to prove itself: `for_` of a few evaluation intervals. An alert
    whose expression already looks back over a long window (an SLO burn rate, say) may use a short `for_`,
    but not none. A `for_` shorter than one evaluation interval (but not 0) acts exactly as no `for_` at all.

    Exempt are alerts whose condition is already a time span: an age or a time left computed from `time()`
    (`time() - job_last_success_timestamp_seconds > 12 * 3600`, `cert_expiry_timestamp_seconds - time() < 86400`)
    or read from a metric that counts down to an expiry (a name with `expir` or `ttl`, such as
    `kubelet_certificate_manager_client_ttl_seconds < 604800`): the threshold is the wait, and such a value does
    not flap. So is an explicit `for_="0s"`, an author's word that the alert must fire at once (kubernetes-mixin's
    `KubeNodeEviction`, which already reads a 15 minute rate); and alerts generated for an SLO, each of which
    fires only when a short window confirms its long one, which is the job `for` does elsewhere (Google SRE
    workbook, chapter 5).
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
            Alert(
                "ApiBackupStale",
                expr="time() - api_backup_last_success_timestamp_seconds > 12 * 3600",
                severity="warning",
            ),
            Alert(
                "ApiCertificateExpiresSoon",
                expr="api_tls_certificate_expiry_timestamp_seconds - time() < 7 * 86400",
                severity="warning",
            ),
            Alert("ApiEvicted", expr="increase(api_evictions_total[15m]) > 0", for_="0s", severity="info"),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        if alert.slo is not None:
            return
        interval = alert.evaluation_interval(context)
        wait = alert.alert.for_
        if wait is None:
            if not _a_time_span(alert.query):
                yield Report("no for_: one bad evaluation fires it; wait a few evaluation intervals", alert.location)
        elif timedelta(0) < wait < interval:
            yield Report(
                f"for_ {format_duration(wait)} is shorter than the evaluation interval {format_duration(interval)}, "
                "so it waits for nothing",
                alert.at("for_"),
            )


def _a_time_span(query: Query) -> bool:
    """Whether the expression compares a time span with a threshold: an age or a time left computed from
    `time()`, or a metric counting down to an expiry."""
    for node in query.nodes:
        if not isinstance(node, promql.BinaryExpr) or operator(node) not in COMPARISONS:
            continue
        for side in (node.lhs, node.rhs):
            if not is_scalar(side) and (_reads_the_clock(side) or _counts_down(side)):
                return True
    return False


def _reads_the_clock(node: promql.Expr) -> bool:
    return any(function_name(child) == "time" for child in walk(node))


def _counts_down(node: promql.Expr) -> bool:
    return any(
        part.startswith("expir") or part == "ttl"
        for name in map(metric_name, selectors(node))
        if name
        for part in name.split("_")
    )
