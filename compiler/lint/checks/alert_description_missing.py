"""The `alert/description-missing` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule

ANNOTATION = "description"


class DescriptionMissing(AlertCheck):
    """An alert without a `description` annotation leaves the on-call to work out what it means.

    The summary says what is wrong; the description says how bad it is and what follows from it: the
    current value (`{{ $value | humanizePercentage }}`), what users notice, what to look at first. Add
    `description=` with a sentence or two.
    """

    name = "alert/description-missing"
    severity = Severity.INFO
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("kafka", [
            Alert(  # bad: no description
                "KafkaUnderReplicatedPartitions",
                expr="sum by (job, topic) (kafka_topic_partition_under_replicated_partition) > 0",
                for_="10m",
                severity="warning",
                summary="Topic {{ $labels.topic }} has under-replicated partitions",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("kafka", [
            Alert(
                "KafkaUnderReplicatedPartitions",
                expr="sum by (job, topic) (kafka_topic_partition_under_replicated_partition) > 0",
                for_="10m",
                severity="warning",
                summary="Topic {{ $labels.topic }} has under-replicated partitions",
                description=(
                    "{{ $value }} partitions of {{ $labels.topic }} have fewer in-sync replicas than configured; "
                    "one more broker failure may lose data."
                ),
            ),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        text = alert.alert.annotations.get(ANNOTATION)
        if text is None:
            yield Report(
                "no description annotation: add description= with the value and its impact", alert.missing_at()
            )
        elif not text.strip():
            yield Report("empty description annotation", alert.entry_at(ANNOTATION))
