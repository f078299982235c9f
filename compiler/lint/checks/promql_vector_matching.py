"""The `promql/vector-matching` check."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.problems import SourceLocation
from compiler.promql.grafana_variables import VARIABLE_STAND_IN
from compiler.promql.label_sets import LabelSet
from compiler.promql.labels import Labelled
from compiler.promql.nodes import operator
from compiler.promql.vector_matching import Matching, Unmatched


class VectorMatching(QueryCheck):
    """A binary operation whose two sides can never match, so its result is always empty.

    Between two vectors, `/`, `>`, `and` and the other operators pair each series with the series of the
    other side that has the same values of the matched labels: every label (one-to-one matching, the
    default), every label but those `ignoring (...)` names, or those `on (...)` names. When one side's
    series always carry a matched label that the other's never carry (`pg_stat_database_numbackends`, per
    `datname`, over `pg_settings_max_connections`, which has none), or the two sides select different values
    of it (`db_connections{state="available"} / db_connections{state="total"}`), no series ever pairs: the
    result is always empty, and an alert on it can never fire, a panel stays blank (`unless` removes
    nothing). It is reported where the sides part, not again at each operation over that empty result. Also
    reported: `on (...)` naming a label only one side has (then only the other side's series without it can
    match), and `group_left (...)` or `group_right (...)` copying a label the side it copies from lacks.

    The labels of each side are inferred as Prometheus computes them, from the `Metric` catalogue (a
    declared metric's series carry every declared label and the target labels), the recording rules, and
    the label matchers of each selector (`{state="total"}`). Series neither declares may carry any label,
    so only what their matchers fix is compared. Match on the labels both sides share (`on (job, instance)`,
    with `group_left` when one side has more series), ignore the label that differs (`ignoring (state)`), or
    aggregate it away (`sum without (datname)`).
    """

    name = "promql/vector-matching"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Alert, Metric, RuleGroup

        catalogue = [
            Metric("db_connections", type="gauge", labels=["state"]),
            Metric("pg_stat_database_numbackends", type="gauge", labels=["datname"]),
            Metric("pg_settings_max_connections", type="gauge"),
            Metric("pg_up", type="gauge"),
        ]

        group = RuleGroup("database", [
            Alert(
                "DatabaseConnectionsExhausted",
                expr=(
                    'db_connections{state="available"}'
                    ' / db_connections{state="total"} < 0.1'  # bad: state differs
                ),
                for_="5m",
                severity="critical",
            ),
            Alert(
                "PostgresConnectionsHigh",
                expr="pg_stat_database_numbackends / pg_settings_max_connections > 0.9",  # bad: datname
                for_="5m",
                severity="warning",
            ),
            Alert(
                "PostgresBackendsWithoutServer",
                expr="pg_stat_database_numbackends > 0 unless on (datname) pg_up == 1",  # bad: pg_up has no datname
                for_="5m",
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Metric, RuleGroup

        catalogue = [
            Metric("db_connections", type="gauge", labels=["state"]),
            Metric("pg_stat_database_numbackends", type="gauge", labels=["datname"]),
            Metric("pg_settings_max_connections", type="gauge"),
            Metric("pg_up", type="gauge"),
        ]

        group = RuleGroup("database", [
            Alert(
                "DatabaseConnectionsExhausted",
                expr='db_connections{state="available"} / ignoring (state) db_connections{state="total"} < 0.1',
                for_="5m",
                severity="critical",
            ),
            Alert(
                "PostgresConnectionsHigh",
                expr=(
                    "sum without (datname) (pg_stat_database_numbackends) / pg_settings_max_connections > 0.9"
                    " or pg_stat_database_numbackends / on (job, instance) group_left pg_settings_max_connections > 0.5"
                ),
                for_="5m",
                severity="warning",
            ),
            Alert(
                "PostgresBackendsWithoutServer",
                expr="pg_stat_database_numbackends > 0 unless on (job, instance) pg_up == 1",
                for_="5m",
                severity="warning",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for item in context.labelled_nodes(query):
            matching = item.matching
            if matching is None or not isinstance(item.node, promql.BinaryExpr):
                continue
            left, right = item.children
            if left.empty or right.empty or matching.variable:
                continue
            op = operator(item.node)
            if item.unmatched is not None:
                yield Report(_never(op, matching, item.unmatched), _line(query, matching, item.unmatched, left, right))
            elif matching.on and op != "or":
                yield from _one_side_lacks(matching, left.labels, right.labels, query)
            if matching.copied:
                yield from _copied(matching, left, right, query)


def _never(op: str, matching: Matching, why: Unmatched) -> str:
    if why.side is None:
        left, right = _values(why)
        apart = f"the left side selects {left}, the right side {right}"
    else:
        lacking = "right" if why.side == "left" else "left"
        apart = f"every series of the {why.side} side carries {why.label}, none of the {lacking} side does"
    if matching.keyword is None:
        compares = "one-to-one matching compares every label"
    elif matching.on:
        compares = f"{matching.keyword} compares it"
    else:
        compares = f"matching {matching.keyword} compares every other label"
    outcome = {"and": "`and` keeps nothing", "unless": "`unless` removes nothing"}.get(op, "the result is always empty")
    return f"`{op}` never matches: {apart}, and {compares}, so {outcome}; {_fix(op, matching, why)}"


def _fix(op: str, matching: Matching, why: Unmatched) -> str:
    if matching.on:
        return f"drop {why.label} from on ()"
    ignore = f"add {why.label} to {matching.keyword}" if matching.written else f"match ignoring ({why.label})"
    if op in ("and", "unless") or why.side is None:
        return ignore
    join = "group_left" if why.side == "left" else "group_right"
    return f"aggregate {why.label} away, or {ignore} with {join} if the {why.side} side has more series"


def _one_side_lacks(matching: Matching, left: LabelSet, right: LabelSet, query: Query) -> Iterator[Report]:
    """`on (...)` names a label one side never carries: only the other side's series without it match."""
    for label in matching.labels:
        left_may, right_may = left.may_have(label), right.may_have(label)
        if left_may == right_may:
            continue
        lacking, other = ("left", "right") if not left_may else ("right", "left")
        yield Report(
            f"{matching.keyword}: the {lacking} side has no label {label}, so only {other} series without {label} "
            f"can match; drop {label} from on (), or keep it on the {lacking} side",
            _keyword_line(query, matching.keyword or ""),
        )


def _copied(matching: Matching, left: Labelled, right: Labelled, query: Query) -> Iterator[Report]:
    """`group_left (x)` copies `x` from the right side: one that never carries it leaves the result without."""
    left_joins = matching.card == promql.VectorMatchCardinality.ManyToOne
    one, side = (right, "right") if left_joins else (left, "left")
    keyword = f"{'group_left' if left_joins else 'group_right'} ({', '.join(matching.copied)})"
    for label in matching.copied:
        if label.startswith(VARIABLE_STAND_IN) or one.labels.may_have(label):
            continue
        if left.never_read(label) and right.never_read(label):
            continue
        yield Report(
            f"{keyword}: the {side} side, which it copies from, has no label {label} "
            f"({_listed(one.labels)}), so the result carries none",
            _keyword_line(query, keyword),
        )


def _line(query: Query, matching: Matching, why: Unmatched, left: Labelled, right: Labelled) -> SourceLocation:
    """Where the operation is written: its modifier, else the right side's matcher that sets the label apart,
    else the right side's first selector (or the left's)."""
    if matching.keyword is not None:
        found = _keyword_line(query, matching.keyword)
        if found != query.location:
            return found
    texts = [
        text for value in sorted(why.right_values) for text in (f'{why.label}="{value}"', f"{why.label}='{value}'")
    ]
    texts += [*_selector_names(right), *_selector_names(left)]
    return query.at_first(*texts) if texts else query.location


def _selector_names(side: Labelled) -> list[str]:
    return [
        str(item.node.name) for item in side.walk() if isinstance(item.node, promql.VectorSelector) and item.node.name
    ]


def _keyword_line(query: Query, keyword: str) -> SourceLocation:
    return query.at_first(keyword, keyword.replace(" (", "("))


def _values(why: Unmatched) -> tuple[str, str]:
    """Each side's values of the label, as matchers: `state="current"`, `state="a" or state="b"`."""
    return _matchers(why.label, why.left_values), _matchers(why.label, why.right_values)


def _matchers(label: str, values: frozenset[str]) -> str:
    return " or ".join(f'{label}="{value}"' for value in sorted(values))


def _listed(labels: LabelSet) -> str:
    if labels.known is None:
        return f"it has no {', '.join(sorted(labels.excluded))}"
    return f"it has {', '.join(sorted(labels.known))}" if labels.known else "it has no labels"
