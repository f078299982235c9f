"""The `alert/template-label` check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from compiler.dsl.rules import Alert
from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule
from compiler.promql.label_sets import LabelSet
from compiler.promql.text import STRING_LITERAL

_ACTION = re.compile(rf"{{{{((?:{STRING_LITERAL.pattern}|[^\"`'}}]|}}(?!}}))*)}}}}", re.DOTALL)
_LABELS_FIELD = re.compile(r"\$labels\.([A-Za-z_]\w*)|\$\.Labels\.([A-Za-z_]\w*)")
_DOT_LABELS_FIELD = re.compile(r"(?<![\w$)\]])\.Labels\.([A-Za-z_]\w*)")
_INDEX_LABELS = re.compile(r"\bindex\s+(?:\$labels|\$\.Labels)\s+\"([A-Za-z_]\w*)\"")
_DOT_BLOCKS = frozenset({"range", "with", "define", "block"})
"""Actions that open a block in which `.` is no longer the alert's data."""


class TemplateLabel(AlertCheck):
    """A template that reads `$labels.x` when the alert's query result never carries `x` renders it empty.

    Prometheus expands annotations and templated labels with the labels of each series the expression
    returns, not with the rule's own labels: after `sum by (job) (...)` only `job` is left, after
    `a / on (job) b` only `job`, after `histogram_quantile` no `le`. The notification then reads
    "High latency on  " and nobody knows where to look. Keep the label in the query (`by (job, route)`,
    `group_left (route)`) or stop reading it.

    The labels of the series read come from the `Metric` catalogue and from the recording rules that record
    them (what their expressions keep, and their own labels), so an alert on a recorded series is checked too.
    Series neither declares may carry any label, so only what the query itself drops is reported for them. A
    label that no series the query reads can carry at all is a typo, which `promql/label-unknown` reports.
    """

    name = "alert/template-label"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("payments", [
            Alert(
                "PaymentsErrorRateHigh",
                expr='''
                    sum by (job) (rate(payments_requests_total{code=~"5.."}[5m]))
                      / sum by (job) (rate(payments_requests_total[5m]))
                    > 0.05
                ''',
                for_="5m",
                severity="critical",
                summary="{{ $labels.job }} fails {{ $value | humanizePercentage }} of payments",
                description="Route {{ $labels.route }} of {{ $labels.job }} returns 5xx.",  # bad: route summed away
            ),
            Alert(
                "PaymentsLatencyHigh",
                expr='''
                    histogram_quantile(0.99, sum by (le) (rate(payments_request_duration_seconds_bucket[5m])))
                    > 2
                ''',
                for_="10m",
                severity="warning",
                annotations={
                    "summary": "{{ $labels.instance }} p99 latency above 2s",  # bad: instance summed away
                },
            ),
            Record("job:payments_errors:ratio_rate5m", expr="sum by (job) (rate(payments_errors_total[5m]))"),
            Alert(
                "PaymentsErrorsHigh",
                expr="job:payments_errors:ratio_rate5m > 0.05",
                for_="5m",
                severity="critical",
                summary="{{ $labels.job }} on {{ $labels.instance }} fails payments",  # bad: the record has job
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Record, RuleGroup

        group = RuleGroup("payments", [
            Alert(
                "PaymentsErrorRateHigh",
                expr='''
                    sum by (job, route) (rate(payments_requests_total{code=~"5.."}[5m]))
                      / sum by (job, route) (rate(payments_requests_total[5m]))
                    > 0.05
                ''',
                for_="5m",
                severity="critical",
                summary="{{ $labels.job }} fails {{ $value | humanizePercentage }} of payments",
                description="Route {{ $labels.route }} of {{ $labels.job }} returns 5xx.",
            ),
            Record("job:payments_errors:ratio_rate5m", expr="sum by (job) (rate(payments_errors_total[5m]))"),
            Alert(
                "PaymentsErrorsHigh",
                expr="job:payments_errors:ratio_rate5m > 0.05",
                for_="5m",
                severity="critical",
                summary="{{ $labels.job }} fails payments",
            ),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        tree = context.labels(alert.query)
        result = tree.labels
        if result.known is None and not result.excluded:
            return
        rule = alert.alert
        for kind, field, template in templates(rule):
            for label in dict.fromkeys(labels_read(template)):
                if label != "__name__" and not result.may_have(label) and not tree.never_read(label):
                    yield Report(self._message(kind, field, label, result, label in rule.labels), alert.entry_at(field))

    @staticmethod
    def _message(kind: str, field: str, label: str, result: LabelSet, static: bool) -> str:
        if result.known is None:
            carried = f"drops {label}"
        elif result.known:
            carried = f"carries only {', '.join(sorted(result.known))}"
        else:
            carried = "carries no labels"
        own = " (templates see the query's labels, not the rule's own)" if static else ""
        return (
            f"{kind} {field} reads $labels.{label}, but the query's result {carried}{own}: "
            f"keep {label} in the query or drop it from the template"
        )


def templates(alert: Alert) -> Iterator[tuple[str, str, str]]:
    """Each template of the alert: `annotation` or `label`, its name, its text."""
    for kind, values in (("annotation", alert.annotations), ("label", alert.labels)):
        for field, template in values.items():
            yield kind, field, template


@lru_cache(maxsize=4096)
def labels_read(template: str) -> tuple[str, ...]:
    """The alert labels a Go template reads, in order: `$labels.x`, `$.Labels.x`, `index $labels "x"`, and
    `.Labels.x` outside the `range` and `with` blocks that rebind `.`. Cached: two checks read each template."""
    return tuple(_labels_read(template))


def _labels_read(template: str) -> Iterator[str]:
    blocks: list[bool] = []
    for match in _ACTION.finditer(template):
        action = match.group(1).strip("-").strip()
        bare = STRING_LITERAL.sub('""', action)
        keyword = bare.split(None, 1)[0] if bare.split() else ""
        if keyword == "end":
            if blocks:
                blocks.pop()
            continue
        for found in _LABELS_FIELD.finditer(bare):
            yield found.group(1) or found.group(2)
        yield from _INDEX_LABELS.findall(action)
        if not any(blocks):
            yield from _DOT_LABELS_FIELD.findall(bare)
        if keyword in _DOT_BLOCKS or keyword == "if":
            blocks.append(keyword in _DOT_BLOCKS)
