"""The `promql/label-missing` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.load.metrics import Catalogue
from compiler.promql.grafana_variables import VARIABLE_STAND_IN
from compiler.promql.label_sets import LabelSet
from compiler.promql.labels import Labelled
from compiler.promql.nodes import operator
from compiler.promql.selectors import matcher_texts, matchers, metric_name


class LabelMissing(QueryCheck):
    """A query groups by, joins on or matches a label that its series had, but that was removed before.

    `sum by (route) (sum by (job) (...))` makes a single series with no `route`: the inner sum removed it.
    `a / on (job, instance) b` after both sides were summed by `job` matches on `job` alone. A matcher on a
    recorded series for a label its recording rule aggregated away (`job:requests:rate5m{route="/login"}`)
    selects nothing. The query still runs, so the mistake shows up only as a quiet alert or a flat graph.

    What each part of a query keeps is inferred as Prometheus computes it (see `promql/label-unknown` for the
    labels a series can carry at all): after `sum by (job)` only `job` is left, after `a / on (job) b` only
    `job`. `without` or `ignoring` a label already removed is only redundant, and is not reported; a label
    only one side of a join lacks is `promql/vector-matching`'s. Keep the label where it is removed
    (`sum by (job, route)`), or stop naming it.
    """

    name = "promql/label-missing"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Metric, Record, RuleGroup

        requests = Metric("http_requests_total", type="counter", labels=["method", "route", "code"])

        group = RuleGroup("frontend", [
            Record("job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))"),
            Record(
                "job_route:http_requests:rate5m",
                expr="sum by (job, route) (job:http_requests:rate5m)",  # bad: the record has no route
            ),
            Record(
                "job:http_requests_login:rate5m",
                expr='job:http_requests:rate5m{route="/login"}',  # bad: summed away by its rule
            ),
            Record(
                "job:http_requests_per_instance:ratio_rate5m",
                expr=(
                    "sum by (job) (rate(http_requests_total[5m]))"
                    " / on (job, instance)"  # bad: both sides were summed by job
                    " sum by (job) (up)"
                ),
            ),
        ])
    """
    good = """
        from compiler.dsl import Metric, Record, RuleGroup

        requests = Metric("http_requests_total", type="counter", labels=["method", "route", "code"])

        group = RuleGroup("frontend", [
            Record("job_route:http_requests:rate5m", expr="sum by (job, route) (rate(http_requests_total[5m]))"),
            Record("job:http_requests:rate5m", expr="sum by (job) (job_route:http_requests:rate5m)"),
            Record("job:http_requests_login:rate5m", expr='job_route:http_requests:rate5m{route="/login"}'),
            Record(
                "job:http_requests_per_target:ratio_rate5m",
                expr="sum by (job) (rate(http_requests_total[5m])) / on (job) sum by (job) (up)",
            ),
            Record(
                "job:http_requests_login:ratio_rate5m",
                expr='job_route:http_requests:rate5m{route="/login"} / ignoring (route) job:http_requests:rate5m',
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for item in context.labelled_nodes(query):
            node = item.node
            if isinstance(node, promql.VectorSelector):
                if item.labels.known is not None and context.catalogue.records:
                    yield from _selector(node, query, context.catalogue)
            elif isinstance(node, promql.AggregateExpr) and _narrowed(item.children[-1].labels):
                modifier = node.modifier
                if modifier is not None and modifier.type == promql.AggModifierType.By:
                    yield from _grouping(node, modifier.labels, item.children[-1], query)
            elif (
                item.matching is not None and item.matching.on and all(_narrowed(side.labels) for side in item.children)
            ):
                yield from _joined(item.matching.labels, item, query)


def _narrowed(labels: LabelSet) -> bool:
    """Whether the labels are known to lack some: only then can a query name one that was removed."""
    return labels.known is not None or bool(labels.excluded)


def _grouping(node: promql.AggregateExpr, labels: list[str], inner: Labelled, query: Query) -> Iterator[Report]:
    for label in labels:
        if _removed(label, inner.labels, [inner]):
            grouping = f"by ({', '.join(labels)})"
            yield Report(
                f"{operator(node)} {grouping}: the series it aggregates no longer carry {label} "
                f"({_listed(inner.labels)}): keep it where it is aggregated away",
                query.at_first(grouping, grouping.replace(" (", "(")),
            )


def _joined(labels: tuple[str, ...], item: Labelled, query: Query) -> Iterator[Report]:
    left, right = item.children
    for label in labels:
        if _removed(label, left.labels, list(item.children)) and not right.labels.may_have(label):
            keyword = f"on ({', '.join(labels)})"
            yield Report(
                f"{keyword}: neither side carries {label} any more (the left side {_carries(left.labels)}, the "
                f"right side {_carries(right.labels)}): keep it where it is aggregated away, or drop it",
                query.at_first(keyword, keyword.replace(" (", "(")),
            )


def _selector(selector: promql.VectorSelector, query: Query, catalogue: Catalogue) -> Iterator[Report]:
    """A matcher on a recorded series for a label its rules removed."""
    name = metric_name(selector)
    records = catalogue.records.get(name) if name else None
    recorded = catalogue.labels_of(name) if records and name else None
    if recorded is None or recorded.known is None or not records:
        return
    read = catalogue.read_of(name) if name else None
    for matcher in matchers(selector):
        label = str(matcher.name)
        absent_only = matcher.value == "" and matcher.op in (promql.MatchOp.Equal, promql.MatchOp.Re)
        if label == "__name__" or absent_only or recorded.may_have(label) or (read is not None and label not in read):
            continue
        yield Report(
            f"{name} has no label {label} ({_listed(recorded)}): its recording rule at {records[0].location} "
            "removes it; keep it there, or stop matching on it",
            query.at_first(*matcher_texts(matcher)),
        )


def _removed(label: str, labels: LabelSet, below: list[Labelled]) -> bool:
    """Whether the label cannot be there any more, though some series read below could carry it."""
    return (
        not label.startswith(VARIABLE_STAND_IN)
        and not labels.may_have(label)
        and not all(side.never_read(label) for side in below)
    )


def _listed(labels: LabelSet) -> str:
    return f"it {_carries(labels)}"


def _carries(labels: LabelSet) -> str:
    if labels.known is None:
        return f"has no {', '.join(sorted(labels.excluded))}"
    return f"has {', '.join(sorted(labels.known))}" if labels.known else "has no labels"
