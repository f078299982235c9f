"""The `promql/label-missing` check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.load.metrics import TARGET_LABELS, Catalogue
from compiler.promql.grafana_variables import VARIABLE_STAND_IN
from compiler.promql.labels import LabelSet, result_labels
from compiler.promql.nodes import is_scalar, operator
from compiler.promql.selectors import matcher_texts, matchers, metric_name, selectors


class LabelMissing(QueryCheck):
    """A query matches, groups by or joins on a label that its series cannot have.

    A matcher on a missing label (`{route="/login"}` where the metric has `handler`) selects nothing, or
    everything when it matches the empty value; `sum by (route)` makes a single series with no `route`;
    `on (route)` matches nothing, or everything against everything. The query still runs, so the typo shows
    up only as a quiet alert or a flat graph.

    The labels a series can have come from the `Metric` catalogue (its declared labels, the `job` and
    `instance` target labels, `le` on a histogram's buckets and `quantile` on a summary) and from what the
    query keeps of them: after `sum by (job)` only `job` is left. Metrics the catalogue does not declare, and
    recording rules, may have any label, so only labels an aggregation removed are reported for them. A
    matcher that only asks the label to be absent (`{route=""}`) is not reported, nor `without` or `ignoring`
    a label an aggregation already removed: that is only redundant, where a label that none of the series read
    ever has is a typo. Fix the label's name, or declare the label on the metric's `Metric`.
    """

    name = "promql/label-missing"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Metric, Record, RuleGroup

        requests = Metric("http_requests_total", type="counter", labels=["method", "handler", "code"])

        group = RuleGroup("frontend", [
            Record(
                "job_route:http_requests:rate5m",
                expr="sum by (job, route) (rate(http_requests_total[5m]))",  # bad: no label route
            ),
            Alert(
                "LoginErrors",
                expr=(
                    'sum by (job) (rate(http_requests_total{handler="/login", status=~"5.."}[5m]))'  # bad: status
                    " / sum by (job) (rate(http_requests_total[5m])) > 0.1"
                ),
                for_="10m",
                severity="warning",
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
            ),
            Record(
                "job:http_requests_per_target:ratio_rate5m",
                expr="sum by (job) (rate(http_requests_total{tenant=''}[5m])) / on (job) sum by (job) (up)",
            ),
            Record(
                "instance:http_requests:rate5m",
                expr="sum without (method, handler, code) (rate(http_requests_total[5m]))",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        catalogue = context.catalogue
        for node in query.nodes:
            if isinstance(node, promql.VectorSelector):
                yield from _selector(node, query, catalogue)
            elif isinstance(node, promql.AggregateExpr) and node.modifier is not None:
                by = node.modifier.type == promql.AggModifierType.By
                grouping = f"{'by' if by else 'without'} ({', '.join(node.modifier.labels)})"
                carried = result_labels(node.expr, catalogue)
                for label in _missing(node.modifier.labels, [carried]):
                    if not by and not _never_had(label, [node.expr], catalogue):
                        continue
                    yield Report(
                        f"{operator(node)} {grouping}: the series it aggregates have no label {label} "
                        f"({_listed(carried)})",
                        query.at_first(grouping, grouping.replace(" (", "(")),
                    )
            elif isinstance(node, promql.BinaryExpr) and node.modifier is not None:
                yield from _binary(node, node.modifier, query, catalogue)


def _selector(selector: promql.VectorSelector, query: Query, catalogue: Catalogue) -> Iterator[Report]:
    name = metric_name(selector)
    shape = catalogue.get(name) if name else None
    if shape is None:
        return
    labels = LabelSet(shape.labels | TARGET_LABELS)
    for matcher in matchers(selector):
        absent_only = matcher.value == "" and matcher.op in (promql.MatchOp.Equal, promql.MatchOp.Re)
        if matcher.name != "__name__" and not absent_only and list(_missing([matcher.name], [labels])):
            yield Report(
                f"{name} has no label {matcher.name} ({_listed(labels)}): fix the name, or declare the label on "
                f"its Metric at {shape.metric.location}",
                query.at_first(*matcher_texts(matcher)),
            )


def _binary(
    node: promql.BinaryExpr, modifier: promql.BinModifier, query: Query, catalogue: Catalogue
) -> Iterator[Report]:
    if is_scalar(node.lhs) or is_scalar(node.rhs):
        return
    left, right = result_labels(node.lhs, catalogue), result_labels(node.rhs, catalogue)
    matching = modifier.matching
    if matching is not None and matching.labels:
        on = matching.type == promql.LabelModifierType.Include
        keyword = f"{'on' if on else 'ignoring'} ({', '.join(matching.labels)})"
        for label in _missing(matching.labels, [left, right]):
            sides = [side for side, labels in (("left", left), ("right", right)) if not labels.may_have(label)]
            if on or (len(sides) == 2 and _never_had(label, [node.lhs, node.rhs], catalogue)):
                yield Report(
                    f"{keyword}: the {' and '.join(sides)} side has no label {label}",
                    query.at_first(keyword, keyword.replace(" (", "(")),
                )
    if modifier.group_labels:
        left_joins = modifier.card == promql.VectorMatchCardinality.ManyToOne
        keyword = f"{'group_left' if left_joins else 'group_right'} ({', '.join(modifier.group_labels)})"
        one = right if left_joins else left
        for label in _missing(modifier.group_labels, [one]):
            yield Report(
                f"{keyword}: the {'right' if left_joins else 'left'} side, which it copies from, has no label "
                f"{label} ({_listed(one)})",
                query.at_first(keyword, keyword.replace(" (", "(")),
            )


def _missing(labels: Iterable[str], sides: list[LabelSet]) -> Iterator[str]:
    """The labels that some side surely lacks; a dashboard's `$variable` standing in for a label never is."""
    for label in labels:
        if not label.startswith(VARIABLE_STAND_IN) and any(
            side.known is not None and label not in side.known for side in sides
        ):
            yield label


def _never_had(label: str, nodes: list[promql.Expr], catalogue: Catalogue) -> bool:
    """Whether no series the expressions read can have the label: `without` or `ignoring` it is then a typo,
    where for a label some aggregation removed already it is only redundant."""
    for node in nodes:
        for selector in selectors(node):
            name = metric_name(selector)
            declared = catalogue.series_labels(name) if name else None
            if declared is None or label in declared:
                return False
    return True


def _listed(labels: LabelSet) -> str:
    known = sorted(labels.known or ())
    return f"it has {', '.join(known)}" if known else "it has none"
