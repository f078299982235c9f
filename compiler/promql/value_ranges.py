"""The values an expression can take, where its syntax tree bounds them: a histogram's quantile lies within its
bucket bounds, a part of a counter over its whole lies in [0, 1], a rate is never negative, a comparison with
`bool` is 0 or 1; arithmetic with constants moves and scales those bounds. Anything else is unbounded.

The bounds are closed and sound: every value the expression yields lies within them (NaN aside, which no
comparison holds for), so a threshold outside them is one the expression can never cross.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

import promql_parser as promql

from compiler.promql.nodes import COMPARISONS, SET_OPERATORS, function_name, is_scalar, operator, unwrap
from compiler.promql.selectors import match_operator, metric_name, selectors

INF = math.inf


class DeclaredHistograms(Protocol):
    """Where the bucket bounds of histograms are declared (the metrics catalogue)."""

    def buckets(self, name: str) -> tuple[float, ...] | None:
        """The upper bounds (`le`) of the buckets of the histogram whose `_bucket` series has that name."""


class ValueRange(NamedTuple):
    """Every value lies in [low, high]; `reason` says, for messages, what bounds it. A tuple: lint builds many."""

    low: float = -INF
    high: float = INF
    reason: str = ""

    @property
    def bounded(self) -> bool:
        return self.low > -INF or self.high < INF

    @property
    def finite(self) -> bool:
        return self.low > -INF and self.high < INF

    @property
    def constant(self) -> float | None:
        return self.low if self.low == self.high else None

    def shown(self) -> str:
        if self.constant is not None:
            return _number(self.low)
        if self.high == INF:
            return f">= {_number(self.low)}"
        if self.low == -INF:
            return f"<= {_number(self.high)}"
        return f"in [{_number(self.low)}, {_number(self.high)}]"


UNBOUNDED = ValueRange()


def comparison_holds(op: str, left: ValueRange, right: ValueRange) -> bool | None:
    """Whether `left op right` holds for every pair of values the two ranges allow (True), for none of them
    (False), or can go either way (None)."""
    if op in ("<", "<="):
        op, left, right = {"<": ">", "<=": ">="}[op], right, left
    if op == ">":
        return True if left.low > right.high else False if left.high <= right.low else None
    if op == ">=":
        return True if left.low >= right.high else False if left.high < right.low else None
    apart = left.high < right.low or right.high < left.low
    same = left.constant is not None and left.constant == right.constant
    if op == "==":
        return True if same else False if apart else None
    return True if apart else False if same else None


class ValueRanges:
    """The value range of expressions, each recorded series read through the rules that record it."""

    def __init__(
        self,
        declared: DeclaredHistograms | None = None,
        *,
        never_negative: Callable[[str], bool] = lambda name: False,
        recorded: Callable[[str], Sequence[promql.Expr]] = lambda name: (),
    ) -> None:
        """`never_negative` says whether a raw series only holds values >= 0 (a counter); `recorded` gives the
        expressions of the rules recording a series, asked only for the series a query reads."""
        self._declared = declared
        self._never_negative = never_negative
        self._recorded = recorded
        self._of_record: dict[str, ValueRange] = {}

    def of(self, node: promql.Expr) -> ValueRange:
        """The range of every value of the expression's result."""
        if type(node) is promql.ParenExpr:
            return self.of(node.expr)
        if type(node) is promql.Call:
            return self._called(node)
        if type(node) is promql.BinaryExpr:
            return self._combined(node)
        if type(node) is promql.VectorSelector:
            return self._selected(node)
        if type(node) is promql.AggregateExpr:
            return self._aggregated(node)
        if type(node) is promql.NumberLiteral:
            return ValueRange(node.val, node.val)
        if type(node) is promql.MatrixSelector:
            return self._selected(node.vector_selector)
        if type(node) is promql.SubqueryExpr:
            return self.of(node.expr)
        if type(node) is promql.UnaryExpr:
            return _negated(self.of(node.expr))
        return UNBOUNDED

    def _selected(self, selector: promql.VectorSelector) -> ValueRange:
        name = selector.name or metric_name(selector)
        if not name:
            return UNBOUNDED
        if ":" in name:
            return self._record(name)
        if name == "up":
            return ValueRange(0, 1, "up is 0 or 1")
        if self._never_negative(name):
            return ValueRange(0, INF, f"{name} is a counter, never negative")
        return UNBOUNDED

    def _record(self, name: str) -> ValueRange:
        """The hull of the ranges of every rule recording `name`; unbounded while it is being worked out (a
        rule reading its own series) or when no rule records it."""
        if name in self._of_record:
            return self._of_record[name]
        self._of_record[name] = UNBOUNDED
        exprs = self._recorded(name)
        found = _hull([self.of(expr) for expr in exprs]) if exprs else UNBOUNDED
        self._of_record[name] = found
        return found

    def _called(self, node: promql.Call) -> ValueRange:
        name = function_name(node) or ""
        fixed = _FIXED.get(name)
        if fixed is not None:
            return fixed
        args = list(node.args)
        if name == "histogram_quantile" and len(args) == 2:
            return self._quantile(args[0], args[1])
        if not args:
            return UNBOUNDED
        inner = self.of(args[1] if name == "quantile_over_time" else args[0])
        if name in _SAME_VALUES:
            return inner
        if name == "sum_over_time":
            return _sign_kept(inner)
        if name == "abs":
            return _absolute(inner)
        if name in ("ceil", "floor") or (name == "round" and len(args) == 1):
            return _to_integers(inner)
        if name in ("clamp", "clamp_min", "clamp_max"):
            return self._clamped(name, inner, args[1:])
        return UNBOUNDED

    def _clamped(self, name: str, inner: ValueRange, limits: list[promql.Expr]) -> ValueRange:
        bounds = [self.of(limit).constant for limit in limits]
        if not bounds or bounds[0] is None or (name == "clamp" and (len(bounds) < 2 or bounds[1] is None)):
            return UNBOUNDED
        first = bounds[0]
        if name == "clamp":
            low, high = first, bounds[1] if bounds[1] is not None else INF
        else:
            low, high = (first, INF) if name == "clamp_min" else (-INF, first)
        if low > high:
            return UNBOUNDED
        clamped = ValueRange(min(max(inner.low, low), high), max(min(inner.high, high), low))
        return clamped._replace(reason=f"{name}() keeps it {clamped.shown()}")

    def _quantile(self, quantile: promql.Expr, buckets: promql.Expr) -> ValueRange:
        """A quantile of a classic histogram (0 <= φ <= 1) lies between 0 (or the lowest bound, if negative) and
        the largest finite bucket bound: Prometheus returns that bound when the quantile falls in `+Inf`."""
        phi = self.of(quantile).constant
        if phi is None or not 0 <= phi <= 1 or self._declared is None:
            return UNBOUNDED
        names: list[str] = []
        bounds: list[float] = []
        for selector in selectors(buckets):
            name = metric_name(selector) or ""
            declared = self._declared.buckets(name) if name.endswith("_bucket") and ":" not in name else None
            if declared is None:
                return UNBOUNDED
            names.append(name)
            bounds.extend(bound for bound in declared if math.isfinite(bound))
        if not bounds:
            return UNBOUNDED
        low, high = min(0.0, *bounds), max(bounds)
        histograms = ", ".join(sorted({name.removesuffix("_bucket") for name in names}))
        return ValueRange(low, high, f"a quantile of {histograms} lies within its buckets, up to {_number(high)}")

    def _aggregated(self, node: promql.AggregateExpr) -> ValueRange:
        op = operator(node)
        if op in ("count", "count_values"):
            return ValueRange(1, INF, f"{op} is at least 1")
        if op == "group":
            return ValueRange(1, 1, "group is 1")
        inner = self.of(node.expr)
        if op in ("stddev", "stdvar"):
            return ValueRange(0, INF, f"{op} is never negative")
        if op == "sum":
            return _sign_kept(inner)
        if op == "quantile":
            phi = self.of(node.param).constant if node.param is not None else None
            return inner if phi is not None and 0 <= phi <= 1 else UNBOUNDED
        return inner if op in _SAME_VALUE_AGGREGATIONS else UNBOUNDED

    def _combined(self, node: promql.BinaryExpr) -> ValueRange:
        op = operator(node)
        if op in SET_OPERATORS:
            left = self.of(node.lhs)
            return _hull([left, self.of(node.rhs)]) if op == "or" else left
        if op in COMPARISONS:
            if node.modifier is not None and node.modifier.return_bool:
                return ValueRange(0, 1, "a comparison with bool is 0 or 1")
            return self.of(node.rhs if is_scalar(node.lhs) else node.lhs)
        left, right = self.of(node.lhs), self.of(node.rhs)
        part = self._part_of(node.lhs, node.rhs) if op == "/" and left.low >= 0 else None
        if part is not None:
            return ValueRange(0, 1, f"a part of {part} over its whole is in [0, 1]")
        if not (left.bounded or right.bounded):
            return UNBOUNDED
        arithmetic = _ARITHMETIC.get(op)
        if arithmetic is None:
            return UNBOUNDED
        computed = arithmetic(left, right)
        if not computed.bounded or any(math.isnan(bound) for bound in (computed.low, computed.high)):
            return UNBOUNDED
        return computed._replace(reason=" and ".join(filter(None, (left.reason, right.reason))))

    def _part_of(self, part: promql.Expr, whole: promql.Expr) -> str | None:
        """The metric read, when each series of `part` is at most the series of `whole` with the same labels,
        which exists: the same computation over fewer series (`code=~"5.."` added), summed, counted or maxed
        alike; else None."""
        part, whole = unwrap(part), unwrap(whole)
        if not (isinstance(part, promql.AggregateExpr) and isinstance(whole, promql.AggregateExpr)):
            return _same_series_subset(part, whole)
        op = operator(part)
        if op != operator(whole) or op not in ("sum", "count", "max") or str(part.modifier) != str(whole.modifier):
            return None
        if op == "sum" and self.of(whole.expr).low < 0:
            return None
        return self._part_of(part.expr, whole.expr)


def _same_series_subset(part: promql.Expr, whole: promql.Expr) -> str | None:
    """The metric read, when `part` yields some of the series `whole` yields, with the same values: the same
    selector with more matchers, under the same functions of each series; else None."""
    part, whole = unwrap(part), unwrap(whole)
    if isinstance(part, promql.BinaryExpr) and _filters(part):
        kept = part.rhs if operator(part) in COMPARISONS and is_scalar(part.lhs) else part.lhs
        return _same_series_subset(kept, whole)
    if isinstance(part, promql.VectorSelector) and isinstance(whole, promql.VectorSelector):
        return _narrower(part, whole)
    if isinstance(part, promql.MatrixSelector) and isinstance(whole, promql.MatrixSelector):
        return _narrower(part.vector_selector, whole.vector_selector) if part.range == whole.range else None
    if isinstance(part, promql.SubqueryExpr) and isinstance(whole, promql.SubqueryExpr):
        same_window = (part.range, part.step, str(part.offset), str(part.at)) == (
            whole.range,
            whole.step,
            str(whole.offset),
            str(whole.at),
        )
        return _same_series_subset(part.expr, whole.expr) if same_window else None
    if isinstance(part, promql.Call) and isinstance(whole, promql.Call):
        name = function_name(part) or ""
        if name != function_name(whole) or not (name in _PER_SERIES or name.endswith("_over_time")):
            return None
        part_args, whole_args = list(part.args), list(whole.args)
        if len(part_args) != len(whole_args) or not part_args:
            return None
        if any(str(a) != str(b) for a, b in zip(part_args[:-1], whole_args[:-1], strict=True)):
            return None
        return _same_series_subset(part_args[-1], whole_args[-1])
    return None


def _filters(node: promql.BinaryExpr) -> bool:
    """Whether the operation keeps some of one side's series as they are: `and`, `unless`, or a comparison
    without `bool` against a scalar."""
    op = operator(node)
    if op in ("and", "unless"):
        return True
    returns_bool = node.modifier is not None and node.modifier.return_bool
    return op in COMPARISONS and not returns_bool and (is_scalar(node.lhs) or is_scalar(node.rhs))


def _narrower(part: promql.VectorSelector, whole: promql.VectorSelector) -> str | None:
    """The metric, when `part` selects some of the series `whole` selects: the same, with matchers added."""
    if part.matchers.or_matchers or whole.matchers.or_matchers:
        return None
    name = metric_name(part)
    if name is None or (name, str(part.offset), str(part.at)) != (metric_name(whole), str(whole.offset), str(whole.at)):
        return None
    return name if _matcher_set(whole) <= _matcher_set(part) else None


def _matcher_set(selector: promql.VectorSelector) -> set[tuple[str, str, str]]:
    return {
        (str(matcher.name), match_operator(matcher), str(matcher.value))
        for matcher in selector.matchers.matchers
        if matcher.name != "__name__"
    }


def _hull(ranges: list[ValueRange]) -> ValueRange:
    low, high = min(r.low for r in ranges), max(r.high for r in ranges)
    reasons = dict.fromkeys(r.reason for r in ranges if r.reason)
    return ValueRange(low, high, " and ".join(reasons)) if low > -INF or high < INF else UNBOUNDED


def _negated(inner: ValueRange) -> ValueRange:
    return ValueRange(-inner.high, -inner.low, inner.reason)


def _absolute(inner: ValueRange) -> ValueRange:
    if inner.low >= 0:
        return inner
    if inner.high <= 0:
        return _negated(inner)
    return ValueRange(0, max(-inner.low, inner.high), inner.reason or "abs() is never negative")


def _to_integers(inner: ValueRange) -> ValueRange:
    """Rounded values lie between the integers around the bounds."""
    low = math.floor(inner.low) if math.isfinite(inner.low) else inner.low
    high = math.ceil(inner.high) if math.isfinite(inner.high) else inner.high
    return ValueRange(low, high, inner.reason)


def _sign_kept(inner: ValueRange) -> ValueRange:
    """A sum of values that all have one sign has that sign."""
    if inner.low >= 0:
        return ValueRange(0, INF, inner.reason)
    if inner.high <= 0:
        return ValueRange(-INF, 0, inner.reason)
    return UNBOUNDED


def _product(a: float, b: float) -> float:
    """a * b where 0 * Inf is 0: bounds are limits, not samples."""
    return 0.0 if a == 0 or b == 0 else a * b


def _add(left: ValueRange, right: ValueRange) -> ValueRange:
    return ValueRange(left.low + right.low, left.high + right.high)


def _subtract(left: ValueRange, right: ValueRange) -> ValueRange:
    return _add(left, _negated(right))


def _multiply(left: ValueRange, right: ValueRange) -> ValueRange:
    corners = [_product(a, b) for a in (left.low, left.high) for b in (right.low, right.high)]
    return ValueRange(min(corners), max(corners))


def _divide(left: ValueRange, right: ValueRange) -> ValueRange:
    """Only by a divisor of one sign: one that may be 0 makes ±Inf, or NaN."""
    if right.low > 0 or right.high < 0:
        return _multiply(left, ValueRange(1 / right.high, 1 / right.low))
    if right.low >= 0 and left.low >= 0:
        return ValueRange(0, INF)
    return UNBOUNDED


def _number(value: float) -> str:
    if value in (INF, -INF):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:.12g}"


_ARITHMETIC: dict[str, Callable[[ValueRange, ValueRange], ValueRange]] = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
}

_FIXED_BOUNDS: dict[str, tuple[float, float]] = {
    "rate": (0, INF),
    "irate": (0, INF),
    "increase": (0, INF),
    "resets": (0, INF),
    "changes": (0, INF),
    "count_over_time": (1, INF),
    "present_over_time": (1, 1),
    "absent": (1, 1),
    "absent_over_time": (1, 1),
    "time": (0, INF),
    "timestamp": (0, INF),
    "sqrt": (0, INF),
    "exp": (0, INF),
    "sgn": (-1, 1),
    "stddev_over_time": (0, INF),
    "stdvar_over_time": (0, INF),
    "histogram_count": (0, INF),
    "histogram_fraction": (0, 1),
    "hour": (0, 23),
    "minute": (0, 59),
    "month": (1, 12),
    "day_of_month": (1, 31),
    "day_of_week": (0, 6),
    "day_of_year": (1, 366),
    "days_in_month": (28, 31),
}
"""Functions whose result lies in a fixed range whatever they read."""


def _fixed_range(name: str, low: float, high: float) -> ValueRange:
    said = "never negative" if (low, high) == (0, INF) else ValueRange(low, high).shown()
    return ValueRange(low, high, f"{name}() is {said}")


_FIXED = {name: _fixed_range(name, low, high) for name, (low, high) in _FIXED_BOUNDS.items()}

_SAME_VALUES = frozenset(
    {
        "vector",
        "scalar",
        "sort",
        "sort_desc",
        "sort_by_label",
        "sort_by_label_desc",
        "label_replace",
        "label_join",
        "last_over_time",
        "min_over_time",
        "max_over_time",
        "avg_over_time",
        "quantile_over_time",
    }
)
"""Functions whose every value is one of the values they read, or lies between them."""

_SAME_VALUE_AGGREGATIONS = frozenset({"min", "max", "avg", "topk", "bottomk", "limitk", "limit_ratio"})

_PER_SERIES = frozenset({"rate", "irate", "increase", "resets", "changes", "delta", "idelta", "deriv"})
"""Functions that compute each series' value from that series alone (besides the `*_over_time` ones)."""
