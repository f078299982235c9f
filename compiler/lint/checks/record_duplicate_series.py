"""The `record/duplicate-series` check."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import promql_parser as promql

from compiler.lint.check import Report, RuleSetCheck
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule
from compiler.load.metrics import Catalogue
from compiler.promql.labels import result_labels
from compiler.promql.nodes import (
    ABSENT_FUNCTIONS,
    KEEP_INPUT_AGGREGATIONS,
    LABEL_WRITERS,
    SET_OPERATORS,
    function_name,
    is_scalar,
    operator,
    unwrap,
)

Matchers = dict[str, list[promql.Matcher]]
"""The label matchers that hold on every series of a result, by label."""

_REGEX_SYNTAX = re.compile(r"[.\[\](){}*+?^$\\|]")


class DuplicateSeries(RuleSetCheck):
    """Two recording rules record the same series: the same name and labels, from results that can overlap.

    Both rules then write samples to one series, each overwriting the other on every evaluation (or failing
    with duplicate-sample errors): what the series holds depends on which rule ran last, and every query and
    alert reading it sees a mix of two calculations. Usually a rule was copied and not renamed.

    Rules that share a name are fine when they cannot produce the same series: different static labels
    (Sloth's records per SLO differ in `sloth_id`), results with different sets of labels, or selectors that
    keep a label they both output apart, as kube-prometheus records `code_verb:apiserver_request_total:increase1h`
    once per `code=~"2.."`, `code=~"3.."`, ... and keeps `code` in the result. A label the result no longer
    carries (aggregated away, or overwritten by a static label) keeps nothing apart. Reported at the second
    rule; rename one of them, give them different labels, or merge them into one.
    """

    name = "record/duplicate-series"
    severity = Severity.ERROR
    bad = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("payments", [
            Record(
                "job:payment_requests:rate5m",
                expr="sum by (job) (rate(payment_requests_total{method='card'}[5m]))",
            ),
            Record(  # bad: same series as the card rule: method is summed away
                "job:payment_requests:rate5m",
                expr="sum by (job) (rate(payment_requests_total{method='sepa'}[5m]))",
            ),
        ])
        refunds = RuleGroup("refunds", [
            Record(  # bad: the same series again, in another group
                "job:payment_requests:rate5m",
                expr="sum by (job) (rate(payment_requests_total[5m]))",
            ),
        ])
    """
    good = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("payments", [
            Record(
                "job_method:payment_requests:rate5m",
                expr="sum by (job, method) (rate(payment_requests_total{method='card'}[5m]))",
            ),
            Record(
                "job_method:payment_requests:rate5m",
                expr="sum by (job, method) (rate(payment_requests_total{method=~'sepa|ideal'}[5m]))",
            ),
            Record(
                "job:payment_requests:rate5m",
                expr="sum by (job) (rate(payment_requests_total{method='card'}[5m]))",
                labels={"method": "card"},
            ),
            Record(
                "job:payment_requests:rate5m",
                expr="sum by (job) (rate(payment_requests_total{method='sepa'}[5m]))",
                labels={"method": "sepa"},
            ),
            Record(
                "code:payment_requests:increase1h",
                expr="sum by (code) (increase(payment_requests_total{code=~'2..'}[1h]))",
            ),
            Record(
                "code:payment_requests:increase1h",
                expr="sum by (code) (increase(payment_requests_total{code=~'5..'}[1h]))",
            ),
        ])
    """

    def check(self, rules: Sequence[LintedRule], context: LintContext) -> Iterator[tuple[LintedRule, Report]]:
        earlier: dict[tuple[str, tuple[tuple[str, str], ...]], list[LintedRule]] = {}
        for rule in rules:
            if rule.rule.kind != "record":
                continue
            same_name = earlier.setdefault((rule.rule.name, tuple(rule.rule.labels.items())), [])
            first = next((other for other in same_name if _may_overlap(other, rule, context.catalogue)), None)
            if first is not None:
                yield (
                    rule,
                    Report(
                        f"records the same series as the rule at {first.location} (same name and labels, and "
                        "nothing keeps their results apart); rename one, give them different labels or merge them",
                        rule.location,
                    ),
                )
            same_name.append(rule)


def _may_overlap(first: LintedRule, second: LintedRule, catalogue: Catalogue) -> bool:
    """Whether the two rules (of one name and labels) can produce a series with the same labels."""
    static = frozenset(first.rule.labels)
    first_labels = result_labels(first.query.ast, catalogue)
    second_labels = result_labels(second.query.ast, catalogue)
    first_kept, second_kept = first_labels.without(static), second_labels.without(static)
    if first_kept.known is not None and second_kept.known is not None and first_kept != second_kept:
        return False
    first_matchers = _output_matchers(first.query.ast)
    second_matchers = _output_matchers(second.query.ast)
    for label in first_matchers.keys() & second_matchers.keys() - static:
        if not (first_labels.may_have(label) and second_labels.may_have(label)):
            continue
        if any(_disjoint(a, b) for a in first_matchers[label] for b in second_matchers[label]):
            return False
    return True


def _output_matchers(node: promql.Expr) -> Matchers:
    """The matchers that hold on the labels of the expression's result: a selector's own matchers, as far as
    aggregations, functions and vector matching carry its labels through unchanged."""
    node = unwrap(node)
    if isinstance(node, promql.MatrixSelector):
        node = node.vector_selector
    if isinstance(node, promql.VectorSelector):
        if node.matchers.or_matchers:
            return {}
        found: Matchers = {}
        for matcher in node.matchers.matchers:
            if matcher.name != "__name__":
                found.setdefault(matcher.name, []).append(matcher)
        return found
    if isinstance(node, promql.SubqueryExpr | promql.UnaryExpr):
        return _output_matchers(node.expr)
    if isinstance(node, promql.AggregateExpr):
        return _aggregated(node)
    if isinstance(node, promql.Call):
        return _called(node)
    if isinstance(node, promql.BinaryExpr):
        return _combined(node)
    return {}


def _aggregated(node: promql.AggregateExpr) -> Matchers:
    inner = _output_matchers(node.expr)
    if operator(node) in KEEP_INPUT_AGGREGATIONS:
        return inner
    if node.modifier is None:
        return {}
    labels = set(node.modifier.labels)
    by = node.modifier.type == promql.AggModifierType.By
    return {label: matchers for label, matchers in inner.items() if (label in labels) == by}


def _called(node: promql.Call) -> Matchers:
    name = function_name(node)
    if name in ABSENT_FUNCTIONS:
        return {}
    args = [arg for arg in node.args if not is_scalar(arg) and not isinstance(unwrap(arg), promql.StringLiteral)]
    if not args:
        return {}
    found = _output_matchers(args[0])
    destination = unwrap(node.args[1]) if name in LABEL_WRITERS and len(node.args) > 1 else None
    if isinstance(destination, promql.StringLiteral):
        found.pop(str(destination.val), None)
    return found


def _combined(node: promql.BinaryExpr) -> Matchers:
    if is_scalar(node.lhs):
        return _output_matchers(node.rhs)
    if is_scalar(node.rhs):
        return _output_matchers(node.lhs)
    op = operator(node)
    if op == "or":
        return {}
    if op in SET_OPERATORS:
        return _output_matchers(node.lhs)
    modifier = node.modifier
    card = modifier.card if modifier is not None else promql.VectorMatchCardinality.OneToOne
    found = _output_matchers(node.rhs if card == promql.VectorMatchCardinality.OneToMany else node.lhs)
    if modifier is None:
        return found
    if card != promql.VectorMatchCardinality.OneToOne:
        return {label: matchers for label, matchers in found.items() if label not in set(modifier.group_labels or ())}
    matching = modifier.matching
    if matching is None:
        return found
    labels = set(matching.labels)
    keep = matching.type == promql.LabelModifierType.Include
    return {label: matchers for label, matchers in found.items() if (label in labels) == keep}


def _disjoint(first: promql.Matcher, second: promql.Matcher) -> bool:
    """Whether no label value satisfies both matchers (False when that cannot be shown cheaply)."""
    for one, other in ((first, second), (second, first)):
        values = _values(one)
        if values is not None:
            return not any(_matches(other, value) for value in values)
    if first.op == second.op == promql.MatchOp.Re:
        first_prefixes, second_prefixes = _prefixes(first.value), _prefixes(second.value)
        if first_prefixes is None or second_prefixes is None:
            return False
        return not any(a.startswith(b) or b.startswith(a) for a in first_prefixes for b in second_prefixes)
    negated = (first.op, second.op) in (
        (promql.MatchOp.Re, promql.MatchOp.NotRe),
        (promql.MatchOp.NotRe, promql.MatchOp.Re),
    )
    return negated and bool(first.value == second.value)


def _values(matcher: promql.Matcher) -> list[str] | None:
    """Every value the matcher accepts, when it is an `=` or a regex of plain alternatives (`GET|LIST`)."""
    if matcher.op == promql.MatchOp.Equal:
        return [matcher.value]
    if matcher.op == promql.MatchOp.Re and not _REGEX_SYNTAX.search(matcher.value.replace("|", "")):
        return matcher.value.split("|")
    return None


def _matches(matcher: promql.Matcher, value: str) -> bool:
    """Whether `value` satisfies the matcher; True when its regex is one Python cannot read."""
    if matcher.op in (promql.MatchOp.Equal, promql.MatchOp.NotEqual):
        return bool(value == matcher.value) == bool(matcher.op == promql.MatchOp.Equal)
    try:
        matched = re.fullmatch(matcher.value, value) is not None
    except re.error:
        return True
    return matched == bool(matcher.op == promql.MatchOp.Re)


def _prefixes(regex: str) -> list[str] | None:
    """The literal text each alternative of a regex starts with (`2..|30.` → `2`, `30`); None if one has none."""
    if "(" in regex or "[" in regex:
        return None
    prefixes = []
    for alternative in regex.split("|"):
        syntax = _REGEX_SYNTAX.search(alternative)
        end = syntax.start() if syntax else len(alternative)
        optional = syntax is not None and syntax.group() in "?*{"
        prefix = alternative[: end - 1 if optional else end]
        if not prefix:
            return None
        prefixes.append(prefix)
    return prefixes
