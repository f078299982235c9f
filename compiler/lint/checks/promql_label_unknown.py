"""The `promql/label-unknown` check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import promql_parser as promql

from compiler.dsl.rules import Alert
from compiler.lint.check import QueryCheck, Report
from compiler.lint.checks.alert_template_label import labels_read, templates
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query, entry_line
from compiler.load.metrics import Catalogue
from compiler.problems import SourceLocation
from compiler.promql.grafana_variables import VARIABLE_STAND_IN
from compiler.promql.labels import Labelled
from compiler.promql.nodes import operator
from compiler.promql.selectors import matcher_texts, matchers, metric_name
from compiler.promql.vector_matching import Matching


class LabelUnknown(QueryCheck):
    """A query names a label that no series it reads can carry: a typo, or a label nobody declared.

    A matcher on such a label (`{status="500"}` where the metric has `code`) selects nothing, or everything
    when it matches the empty value; `sum by (status)` makes one series with no `status`; `on (status)` or
    `ignoring (status)` matches as if the label were not named, `group_left (status)` copies nothing; an
    alert's `{{ $labels.status }}` renders empty. The query still runs, so the typo shows up only as a quiet
    alert or a flat graph.

    The labels a series can carry come from the `Metric` catalogue (its declared labels, the target labels
    `job`, `instance` and `[tool.moncc.lint] target_labels`, `le` on a histogram's buckets, `quantile` on a
    summary), from the recording rules of the repository (every label of the series they read), and from
    what the query writes itself (`label_replace`, `label_join`, `count_values`). A query that reads a series
    neither declares may meet any label, so nothing is reported for it; nor a matcher that only asks the
    label to be absent (`{tenant=""}`). A label some series has but the query removed before naming it is
    `promql/label-missing`'s. Fix the label's name, or declare the label on the metric's `Metric`.
    """

    name = "promql/label-unknown"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Metric, Record, RuleGroup

        requests = Metric("http_requests_total", type="counter", labels=["method", "handler", "code"])

        group = RuleGroup("frontend", [
            Record(
                "job_route:http_requests:rate5m",
                expr="sum by (job, route) (rate(http_requests_total[5m]))",  # bad: no series has route
            ),
            Alert(
                "LoginErrors",
                expr=(
                    'sum by (job) (rate(http_requests_total{handler="/login", status=~"5.."}[5m]))'  # bad: status
                    " / sum by (job) (rate(http_requests_total[5m])) > 0.1"
                ),
                for_="10m",
                severity="warning",
                summary="{{ $labels.job }} fails logins",
                description="{{ $labels.service }} fails logins",  # bad: no series has service
            ),
            Record(
                "job:http_requests_non_get:rate5m",
                expr="sum by (job) (rate(http_requests_total[5m])) - ignoring (metod)"  # bad: metod
                " sum by (job) (rate(http_requests_total{method='GET'}[5m]))",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Metric, Record, RuleGroup

        requests = Metric("http_requests_total", type="counter", labels=["method", "handler", "code"])

        group = RuleGroup("frontend", [
            Record("job_handler:http_requests:rate5m", expr="sum by (job, handler) (rate(http_requests_total[5m]))"),
            Alert(
                "LoginErrors",
                expr=(
                    'sum by (job) (rate(http_requests_total{handler="/login", code=~"5.."}[5m]))'
                    ' / sum by (job) (rate(http_requests_total{handler="/login"}[5m])) > 0.1'
                ),
                for_="10m",
                severity="warning",
                summary="{{ $labels.job }} fails logins",
                description="{{ $labels.job }} fails logins",
            ),
            Record(
                "job:http_requests_non_get:rate5m",
                expr="sum by (job) (rate(http_requests_total[5m]))"
                " - sum by (job) (rate(http_requests_total{method='GET', tenant=''}[5m]))",
            ),
            Record(
                "job_service:http_requests:rate5m",
                expr="label_replace(sum by (job) (rate(http_requests_total[5m])), 'service', '$1', 'job', '(.*)')",
            ),
            Record("job_service:http_requests:rate1h", expr="sum by (job, service) (job_service:http_requests:rate5m)"),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        nodes = context.labelled_nodes(query)
        for item in nodes:
            node = item.node
            if isinstance(node, promql.VectorSelector):
                if item.read is not None:
                    yield from _selector(node, query, context.catalogue)
            elif isinstance(node, promql.AggregateExpr):
                if item.children[-1].read is not None and node.modifier is not None:
                    yield from _grouping(node, node.modifier, item, query)
            elif item.matching is not None and any(side.read is not None for side in item.children):
                yield from _binary(item.matching, item, query)
        if nodes[0].read is not None and isinstance(query.rule, Alert):
            yield from _templates(query.rule, nodes[0])


def _selector(selector: promql.VectorSelector, query: Query, catalogue: Catalogue) -> Iterator[Report]:
    name = metric_name(selector)
    read = catalogue.read_of(name) if name else None
    if read is None or name is None:
        return
    for matcher in matchers(selector):
        label = str(matcher.name)
        absent_only = matcher.value == "" and matcher.op in (promql.MatchOp.Equal, promql.MatchOp.Re)
        if label != "__name__" and not absent_only and label not in read:
            yield Report(
                f"{name} has no label {label} ({_has(name, read, catalogue)}): fix the name, or "
                f"{_declare(name, catalogue)}",
                query.at_first(*matcher_texts(matcher)),
            )


def _grouping(
    node: promql.AggregateExpr, modifier: promql.AggModifier, item: Labelled, query: Query
) -> Iterator[Report]:
    inner = item.children[-1]
    labels = modifier.labels
    for label in _unknown(labels, [inner]):
        by = modifier.type == promql.AggModifierType.By
        grouping = f"{'by' if by else 'without'} ({', '.join(labels)})"
        yield Report(
            f"{operator(node)} {grouping}: no series it aggregates can carry {label} ({_carried(inner)})",
            _keyword_line(query, grouping),
        )


def _binary(matching: Matching, item: Labelled, query: Query) -> Iterator[Report]:
    if matching.labels:
        for label in _unknown(matching.labels, item.children):
            yield Report(
                f"{matching.keyword}: no series of either side can carry {label} ({_carried(*item.children)})",
                _keyword_line(query, matching.keyword or ""),
            )
    if matching.copied:
        left = matching.card == promql.VectorMatchCardinality.ManyToOne
        keyword = f"{'group_left' if left else 'group_right'} ({', '.join(matching.copied)})"
        for label in _unknown(matching.copied, item.children):
            yield Report(
                f"{keyword}: no series of either side can carry {label}, so there is nothing to copy "
                f"({_carried(*item.children)})",
                _keyword_line(query, keyword),
            )


def _templates(alert: Alert, tree: Labelled) -> Iterator[Report]:
    for kind, field, template in templates(alert):
        for label in dict.fromkeys(labels_read(template)):
            if label != "__name__" and tree.never_read(label):
                own = " (templates see the query's labels, not the rule's own)" if label in alert.labels else ""
                yield Report(
                    f"{kind} {field} reads $labels.{label}, but no series the query reads can carry {label}{own} "
                    f"({_carried(tree)}): fix the name, or drop it from the template",
                    entry_line(alert, field),
                )


def _unknown(labels: Iterable[str], sides: Iterable[Labelled]) -> Iterator[str]:
    """The labels no series below any of the sides can carry; a dashboard's `$variable` is never one."""
    sides = list(sides)
    for label in labels:
        if not label.startswith(VARIABLE_STAND_IN) and all(side.never_read(label) for side in sides):
            yield label


def _keyword_line(query: Query, keyword: str) -> SourceLocation:
    return query.at_first(keyword, keyword.replace(" (", "("))


def _carried(*sides: Labelled) -> str:
    read: frozenset[str] = frozenset()
    for side in sides:
        read |= side.read or frozenset()
    return _listed(read, "they carry")


def _listed(labels: frozenset[str], verb: str) -> str:
    return f"{verb} {', '.join(sorted(labels))}" if labels else f"{verb} no labels"


def _has(name: str, read: frozenset[str], catalogue: Catalogue) -> str:
    if name in catalogue.records:
        return _listed(read, "the series it is recorded from have")
    return _listed(read, "it has")


def _declare(name: str, catalogue: Catalogue) -> str:
    shape = catalogue.get(name)
    if shape is not None:
        return f"declare the label on its Metric at {shape.metric.location}"
    records = catalogue.records.get(name)
    if records:
        return f"declare it on the metrics its recording rule at {records[0].location} reads"
    return "add it to [tool.moncc.lint] target_labels if every scrape sets it"
