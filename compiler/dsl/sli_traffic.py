"""Synthetic traffic for an SLI: input series whose error ratio is exactly a planted value.

A ratio (or error-ratio) SLI must read as `errors / total`, each side a sum of `rate(...)`/`increase(...)`
terms: one "error" series satisfies every term of the numerator (and the denominator's terms it matches),
"good" series satisfy the denominator's other terms and no term of the numerator. A latency SLI gets the
threshold's bucket and the histogram's count. Rates are whole numbers per second, so Prometheus computes the
ratio without rounding noise and a test can expect the planted value exactly.

A shape this cannot model raises `UnsupportedTraffic`, which the SLO reports at its line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import promql_parser

from compiler.dsl.series import Series, counter, native_histogram
from compiler.dsl.sli_queries import CHECK_WINDOW, format_le, render_window
from compiler.promql.nodes import function_name, unwrap
from compiler.promql.parse import parse as parse_promql
from compiler.promql.selectors import match_operator

Traffic = Callable[[Decimal], list[Series]]
"""Input series whose error ratio is the given one: what the generated SLO tests plant."""

RATE_FUNCTIONS = frozenset({"rate", "increase", "irate"})

CANDIDATE_VALUES = (
    "200", "500", "ok", "error", "success", "failed", "2xx", "5xx", "true", "false", "1", "0", "x",
)  # fmt: skip
"""Label values tried for a regex or negative matcher, after the words the regex itself contains."""


class UnsupportedTraffic(ValueError):
    """The SLI's shape is beyond what traffic synthesis models; the message names the part."""


Labels = dict[str, str]
Matcher = tuple[str, str, str]
"""(label, operator, value) with operators `=`, `!=`, `=~`, `!~`."""


@dataclass(frozen=True)
class Selector:
    metric: str
    matchers: tuple[Matcher, ...]

    def matches(self, metric: str, labels: Labels) -> bool:
        return metric == self.metric and all(_holds(matcher, labels.get(matcher[0], "")) for matcher in self.matchers)


@dataclass(frozen=True)
class Term:
    """One `sum(rate(selector[w]))` of a side; `kept` is how its aggregation treats labels."""

    selector: Selector
    kept: Callable[[str], bool]

    def output(self, labels: Labels) -> Labels:
        return {name: value for name, value in labels.items() if self.kept(name)}


@dataclass(frozen=True)
class SyntheticSeries:
    metric: str
    labels: Labels

    def selector(self) -> str:
        inner = ", ".join(f'{name}="{_escape(value)}"' for name, value in sorted(self.labels.items()))
        return f"{self.metric}{{{inner}}}" if inner else self.metric


@dataclass(frozen=True)
class TrafficPlan:
    """Which series to synthesize and how many terms of each side each one feeds."""

    error: SyntheticSeries
    error_in_errors: int
    error_in_total: int
    good: tuple[SyntheticSeries, ...]
    good_in_total: int

    def series(self, ratio: Decimal) -> list[Series]:
        """Counters whose error ratio is exactly `ratio`, all at whole numbers per second."""
        error_rate, good_rate = self._rates(ratio)
        if good_rate < 0:
            raise UnsupportedTraffic("the total counts the error series more often than the errors do")
        return [counter(self.error.selector(), float(error_rate))] + [
            counter(good.selector(), float(good_rate)) for good in self.good
        ]

    def events_per_second(self, ratio: Decimal) -> Decimal:
        """What the total counts per second in `series(ratio)`."""
        error_rate, good_rate = self._rates(ratio)
        return self.error_in_total * error_rate + self.good_in_total * good_rate

    def _rates(self, ratio: Decimal) -> tuple[Decimal, Decimal]:
        scale = 10 ** max(0, -_exponent(ratio)) * self.error_in_errors * max(1, self.good_in_total)
        error_rate = ratio * scale / self.error_in_errors
        return error_rate, (scale - self.error_in_total * error_rate) / max(1, self.good_in_total)


@dataclass(frozen=True)
class HistogramPlan:
    """A histogram's threshold bucket and count: the requests above the threshold are the errors."""

    metric: str
    labels: Labels
    threshold: float

    def series(self, ratio: Decimal) -> list[Series]:
        total = 10 ** max(0, -_exponent(ratio))
        fast = total - ratio * total
        bucket = f"{self.metric}_bucket"
        return [
            counter(SyntheticSeries(bucket, {**self.labels, "le": format_le(self.threshold)}).selector(), float(fast)),
            counter(SyntheticSeries(bucket, {**self.labels, "le": "+Inf"}).selector(), float(total)),
            counter(SyntheticSeries(f"{self.metric}_count", self.labels).selector(), float(total)),
        ]

    def events_per_second(self, ratio: Decimal) -> Decimal:
        """What the histogram counts per second in `series(ratio)`."""
        return Decimal(10 ** max(0, -_exponent(ratio)))


@dataclass(frozen=True)
class NativeHistogramPlan:
    """A native histogram whose fast requests sit in a bucket wholly at or below the threshold and whose slow
    ones in a bucket wholly above it, so `histogram_fraction` counts each side exactly, without interpolating."""

    metric: str
    labels: Labels
    threshold: float

    def series(self, ratio: Decimal) -> list[Series]:
        total = 10 ** max(0, -_exponent(ratio))
        slow = ratio * total
        _, exponent = math.frexp(self.threshold)
        fast_value = math.ldexp(1.0, exponent - 1)
        slow_value = math.ldexp(1.0, exponent if fast_value == self.threshold else exponent + 1)
        selector = SyntheticSeries(self.metric, self.labels).selector()
        return [native_histogram(selector, {fast_value: float(total - slow), slow_value: float(slow)})]

    def events_per_second(self, ratio: Decimal) -> Decimal:
        """What the histogram counts per second in `series(ratio)`."""
        return Decimal(10 ** max(0, -_exponent(ratio)))


Plan = TrafficPlan | HistogramPlan | NativeHistogramPlan


@cache
def histogram_plan(metric: str, selector: str, threshold: float) -> HistogramPlan:
    ast = parse_promql(f"{metric}_count{{{selector}}}" if selector else f"{metric}_count")
    assert isinstance(ast, promql_parser.VectorSelector)
    return HistogramPlan(metric, satisfying(_selector(ast).matchers), threshold)


@cache
def native_histogram_plan(metric: str, selector: str, threshold: float) -> NativeHistogramPlan:
    ast = parse_promql(f"{metric}{{{selector}}}" if selector else metric)
    assert isinstance(ast, promql_parser.VectorSelector)
    return NativeHistogramPlan(metric, satisfying(_selector(ast).matchers), threshold)


@cache
def ratio_plan(query: str) -> TrafficPlan:
    """The plan for an `errors / total` query written with `{{window}}`."""
    ast = unwrap(parse_promql(render_window(query, CHECK_WINDOW)))
    if not isinstance(ast, promql_parser.BinaryExpr) or str(ast.op) != "/":
        raise UnsupportedTraffic(f"the error ratio is not written as errors / total (it is {_describe(ast)})")
    if ast.modifier is not None:
        raise UnsupportedTraffic("the division errors / total uses on(...)/ignoring(...), which is not modelled")
    errors, total = _terms(ast.lhs, _KEEP_ALL), _terms(ast.rhs, _KEEP_ALL)
    first = errors[0].selector
    error_labels = satisfying(
        first.matchers
        + tuple(m for term in total if term.selector.metric == first.metric for m in term.selector.matchers)
    )
    if not all(
        term.selector.matches(first.metric, error_labels) for term in total if term.selector.metric == first.metric
    ):
        error_labels = satisfying(first.matchers)
    error = SyntheticSeries(first.metric, error_labels)
    for term in errors:
        if not term.selector.matches(error.metric, error.labels):
            raise UnsupportedTraffic(f"the errors read more than one kind of series ({_text(term.selector)})")
    good: list[SyntheticSeries] = []
    for term in total:
        fed = [series for series in good if term.selector.matches(series.metric, series.labels)]
        if not fed and not (good and term.selector.matches(error.metric, error.labels)):
            good.append(_good_series(term.selector, errors))
    plan = TrafficPlan(
        error,
        error_in_errors=len(errors),
        error_in_total=sum(term.selector.matches(error.metric, error.labels) for term in total),
        good=tuple(good),
        good_in_total=sum(term.selector.matches(g.metric, g.labels) for term in total for g in good),
    )
    _check_one_result(errors + total, (error, *good))
    return plan


def satisfying(matchers: tuple[Matcher, ...]) -> Labels:
    """Label values that satisfy every matcher (a label left out is the empty value, as in Prometheus)."""
    labels: Labels = {}
    for name in dict.fromkeys(matcher[0] for matcher in matchers):
        own = [matcher for matcher in matchers if matcher[0] == name]
        value = next((value for value in _candidates(own) if all(_holds(m, value) for m in own)), None)
        if value is None:
            shown = ", ".join(f'{n}{op}"{v}"' for n, op, v in own)
            raise UnsupportedTraffic(f"no value of label {name!r} satisfies {shown}")
        if value:
            labels[name] = value
    return labels


def _good_series(total: Selector, errors: list[Term]) -> SyntheticSeries:
    """A series the total counts and no error term does: the total's labels, one changed to miss the errors."""
    labels = satisfying(total.matchers)
    for term in errors:
        if not term.selector.matches(total.metric, labels):
            continue
        labels = _missing(term.selector, total, labels)
    if any(term.selector.matches(total.metric, labels) for term in errors):
        raise UnsupportedTraffic(f"every series {_text(total)} counts as an error too")
    return SyntheticSeries(total.metric, _named_like_errors(labels, total, errors))


def _named_like_errors(labels: Labels, total: Selector, errors: list[Term]) -> Labels:
    """Give a good series the labels the errors match on (`code="200"` beside `code=~"5.."`), where it can."""
    for term in errors:
        for name, operator, value in term.selector.matchers:
            if name in labels or term.selector.metric != total.metric:
                continue
            for candidate in _candidates([(name, _NEGATED[operator], value)]):
                named = {**labels, name: candidate}
                if (
                    candidate
                    and total.matches(total.metric, named)
                    and not any(error.selector.matches(total.metric, named) for error in errors)
                ):
                    labels = named
                    break
    return labels


def _missing(error: Selector, total: Selector, labels: Labels) -> Labels:
    for name, operator, value in error.matchers:
        keep = [m for m in total.matchers if m[0] == name]
        miss = (name, _NEGATED[operator], value)
        found = next((v for v in _candidates([*keep, miss]) if all(_holds(m, v) for m in [*keep, miss])), None)
        if found is not None:
            changed = {**labels, name: found}
            return changed if found else {key: v for key, v in changed.items() if key != name}
    raise UnsupportedTraffic(f"no series counts in {_text(total)} without also counting in {_text(error)}")


def _check_one_result(terms: list[Term], series: tuple[SyntheticSeries, ...]) -> None:
    """Every term must aggregate the series it reads to the same labels, or the division would not match."""
    outputs: list[tuple[tuple[str, str], ...]] = []
    for term in terms:
        fed = [s for s in series if term.selector.matches(s.metric, s.labels)]
        results = {tuple(sorted(term.output(s.labels).items())) for s in fed}
        if len(results) > 1:
            raise UnsupportedTraffic(f"{_text(term.selector)} keeps labels that tell errors from good events apart")
        outputs.extend(results)
    if len(set(outputs)) > 1:
        raise UnsupportedTraffic("the errors and the total aggregate to different labels (sum by (...) differs)")


def _keep_all(_: str) -> bool:
    return True


_KEEP_ALL: Callable[[str], bool] = _keep_all


def _terms(node: promql_parser.Expr, kept: Callable[[str], bool]) -> list[Term]:
    node = unwrap(node)
    if isinstance(node, promql_parser.BinaryExpr) and str(node.op) == "+" and node.modifier is None:
        return _terms(node.lhs, kept) + _terms(node.rhs, kept)
    if isinstance(node, promql_parser.AggregateExpr) and str(node.op) == "sum":
        return _terms(node.expr, _aggregation_keeps(node))
    if isinstance(node, promql_parser.Call) and function_name(node) in RATE_FUNCTIONS:
        argument = node.args[0]
        assert isinstance(argument, promql_parser.MatrixSelector)
        return [Term(_selector(argument.vector_selector), kept)]
    raise UnsupportedTraffic(f"{_describe(node)} is not a sum of rate(...) or increase(...)")


def _aggregation_keeps(node: promql_parser.AggregateExpr) -> Callable[[str], bool]:
    modifier = node.modifier
    if modifier is None:
        return lambda _: False
    labels = frozenset(modifier.labels)
    if str(modifier.type).endswith("By"):
        return lambda name: name in labels
    return lambda name: name not in labels


def _selector(node: promql_parser.VectorSelector) -> Selector:
    if not node.name or node.matchers.or_matchers:
        raise UnsupportedTraffic(f"selector {node} has no metric name or uses 'or'")
    matchers = tuple((m.name, match_operator(m), m.value) for m in node.matchers.matchers if m.name != "__name__")
    return Selector(node.name, matchers)


def _describe(node: promql_parser.Expr) -> str:
    if isinstance(node, promql_parser.BinaryExpr):
        return f"a {str(node.op)!r} expression"
    if isinstance(node, promql_parser.AggregateExpr):
        return f"a {node.op} aggregation"
    if isinstance(node, promql_parser.Call):
        return f"a call of {node.func.name}()"
    return f"a {type(node).__name__}"


def _text(selector: Selector) -> str:
    inner = ",".join(f'{name}{operator}"{value}"' for name, operator, value in selector.matchers)
    return f"{selector.metric}{{{inner}}}"


_NEGATED = {"=": "!=", "!=": "=", "=~": "!~", "!~": "=~"}


def _holds(matcher: Matcher, value: str) -> bool:
    _, operator, expected = matcher
    if operator == "=":
        return value == expected
    if operator == "!=":
        return value != expected
    matched = re.fullmatch(f"(?:{expected})", value) is not None
    return matched if operator == "=~" else not matched


def _candidates(matchers: list[Matcher]) -> list[str]:
    """Values to try: exact values first, then the words in the regexes, common values, and the empty value."""
    exact = [value for _, operator, value in matchers if operator == "="]
    words = [word for _, operator, value in matchers if operator in ("=~", "!~") for word in _words(value)]
    return [*exact, *words, *CANDIDATE_VALUES, ""]


def _words(regex: str) -> list[str]:
    """Literal alternatives of a regex (`GET|POST`), and its dots read as zeros (`5..` → `500`)."""
    found = [part for part in regex.split("|") if re.fullmatch(r"[\w.:/-]+", part)]
    return [word.replace(".", "0") for word in found] + found


def _exponent(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return exponent


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
