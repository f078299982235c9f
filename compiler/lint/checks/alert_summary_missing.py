"""The `alert/summary-missing` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule

ANNOTATION = "summary"


class SummaryMissing(AlertCheck):
    """An alert without a `summary` annotation tells whoever it wakes only its name.

    The summary is the one line a pager, a Slack message or an e-mail subject shows. Without it, the
    on-call has to open Prometheus to learn which service, instance or queue is in trouble. Add `summary=`:
    one short line that says what is wrong and where, naming the labels that matter
    (`"{{ $labels.queue }} backlog is growing"`).
    """

    name = "alert/summary-missing"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("redis", [
            Alert(  # bad: no summary
                "RedisDown",
                expr='redis_up{job="redis"} == 0',
                for_="5m",
                severity="critical",
            ),
            Alert(
                "RedisMemoryHigh",
                expr="redis_memory_used_bytes / redis_memory_max_bytes > 0.9",
                for_="15m",
                severity="warning",
                summary="  ",  # bad: empty summary
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("redis", [
            Alert(
                "RedisDown",
                expr='redis_up{job="redis"} == 0',
                for_="5m",
                severity="critical",
                summary="Redis {{ $labels.instance }} is down",
            ),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        text = alert.alert.annotations.get(ANNOTATION)
        if text is None:
            yield Report("no summary annotation: add summary= saying what is wrong and where", alert.missing_at())
        elif not text.strip():
            yield Report("empty summary annotation: say what is wrong and where", alert.entry_at(ANNOTATION))
