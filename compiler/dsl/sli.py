"""SLI kinds: what counts as an error, written once with a `{{window}}` placeholder where the range goes.

Each kind gives the error ratio over a window (`error_ratio_query`) and the synthetic traffic that plants a
given error ratio in rule tests (`traffic_plan`, see `compiler.dsl.sli_traffic`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from compiler.dsl.definition import Definition
from compiler.dsl.sli_queries import CHECK_WINDOW, format_le, has_window, parenthesize, ratio, render_window
from compiler.dsl.sli_traffic import (
    HistogramPlan,
    NativeHistogramPlan,
    TrafficPlan,
    histogram_plan,
    native_histogram_plan,
    ratio_plan,
)
from compiler.dsl.syntax import check_metric_name
from compiler.problems import SourceLocation
from compiler.promql.parse import parse_expr
from compiler.promql.text import normalize_expr


def check_window_query(query: str) -> str:
    """A query with a `{{window}}` placeholder that is valid PromQL once a window is filled in."""
    query = normalize_expr(query)
    if not has_window(query):
        raise ValueError("no {{window}} placeholder: write the range as [{{window}}], e.g. rate(x_total[{{window}}])")
    parse_expr(render_window(query, CHECK_WINDOW))
    return query


class RatioSLI(Definition):
    """Bad events over all events: `errors` and `total` are instant-vector queries using `{{window}}`.

    The error ratio is `(errors) / (total)`. Written as sums of `rate(...)`/`increase(...)` terms, the generated
    tests plant traffic for it themselves.

    Example:
        ```python
        from compiler.dsl import RatioSLI

        availability = RatioSLI(
            errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
            total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
        )
        ```
    """

    kind: ClassVar[str] = "ratio SLI"

    errors: str
    total: str

    def __init__(self, *, errors: str, total: str, location: SourceLocation | None = None) -> None:
        super().__init__(errors=errors, total=total, location=location)

    @field_validator("errors", "total")
    @classmethod
    def _valid_query(cls, query: str) -> str:
        return check_window_query(query)

    @model_validator(mode="after")
    def _distinct_queries(self) -> RatioSLI:
        if "".join(self.errors.split()) == "".join(self.total.split()):
            raise ValueError("errors and total are the same query: the error ratio would always be 1")
        return self

    def error_ratio_query(self, window: str) -> str:
        return ratio(render_window(self.errors, window), render_window(self.total, window))

    def events_query(self, window: str) -> str | None:
        """All events per second over the window: `total`, which `SLO(min_events=...)` floors."""
        return render_window(self.total, window)

    def traffic_plan(self) -> TrafficPlan:
        return ratio_plan(f"({self.errors}) / ({self.total})")


def check_histogram_name(metric: str, read: str) -> str:
    """A histogram's base name: a metric name without the `_bucket`, `_count` or `_sum` of its classic series."""
    check_metric_name(metric)
    for suffix in ("_bucket", "_count", "_sum"):
        if metric.endswith(suffix):
            base = metric.removesuffix(suffix)
            raise ValueError(f"give the histogram's name without {suffix!r}, i.e. {base!r}: {read}")
    return metric


def check_histogram_selector(selector: str) -> str:
    """Label matchers without braces, `{{window}}` or `le` (the threshold selects the bucket)."""
    selector = " ".join(selector.split()).strip("{} ")
    if has_window(selector):
        raise ValueError("a selector takes no {{window}} placeholder: the generator adds the ranges")
    try:
        parse_expr(f"up{{{selector}}}")
    except ValueError as error:
        reason = str(error).removeprefix("invalid PromQL: ")
        raise ValueError(f"invalid label matchers {selector!r}: {reason}; write them as in 'job=\"api\"'") from None
    if re.search(r"(?<![A-Za-z0-9_])le\s*[=!]", selector):
        raise ValueError("do not match on 'le': the threshold selects the bucket")
    return selector


def bucket_problem(metric: str, threshold: float, buckets: Sequence[float], declared_by: str = "") -> str | None:
    """Why a classic histogram cannot count requests at `threshold` (it is none of `buckets`, the finite upper
    bounds, which `declared_by` may say where they come from), naming the bounds nearest to it; None when it is
    one of them."""
    if threshold in buckets:
        return None
    below = max((bound for bound in buckets if bound < threshold), default=None)
    above = min((bound for bound in buckets if bound > threshold), default=None)
    if below is not None and above is not None:
        nearest = f"the nearest are {format_le(below)} and {format_le(above)}"
    elif above is not None:
        nearest = f"the smallest is {format_le(above)}"
    else:
        nearest = f"the largest is {format_le(max(buckets))}"
    return (
        f"threshold {format_le(threshold)} is not a bucket bound of {metric}{declared_by}: {nearest}; "
        f'there is no {metric}_bucket{{le="{format_le(threshold)}"}} series to count'
    )


class LatencySLI(Definition):
    """Requests slower than `threshold` seconds over all requests, from a classic histogram:
    `<metric>_count - <metric>_bucket{le="<threshold>"}` over `<metric>_count`.

    `metric` is the histogram's base name (without `_bucket`); `selector` the label matchers without braces and
    without `le`; `threshold` must be one of the histogram's bucket bounds, which `buckets` lists (or the
    metrics catalogue's `Metric(buckets=...)` does).

    Example:
        ```python
        from compiler.dsl import LatencySLI

        latency = LatencySLI(
            metric="http_request_duration_seconds",
            selector='job="api"',
            threshold=0.5,
            buckets=[0.1, 0.25, 0.5, 1, 2.5],
        )
        ```
    """

    kind: ClassVar[str] = "latency SLI"

    metric: str
    selector: str = ""
    threshold: float = Field(gt=0, allow_inf_nan=False)
    buckets: tuple[float, ...] | None = None

    def __init__(
        self,
        *,
        metric: str,
        threshold: float,
        selector: str = "",
        buckets: Sequence[float] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(metric=metric, selector=selector, threshold=threshold, buckets=buckets, location=location)

    @field_validator("metric")
    @classmethod
    def _valid_metric(cls, metric: str) -> str:
        return check_histogram_name(metric, "its _bucket and _count series are read")

    @field_validator("selector")
    @classmethod
    def _valid_selector(cls, selector: str) -> str:
        return check_histogram_selector(selector)

    @model_validator(mode="after")
    def _threshold_is_a_bucket(self) -> LatencySLI:
        problem = None if self.buckets is None else bucket_problem(self.metric, self.threshold, self.buckets)
        if problem is not None:
            raise ValueError(problem)
        return self

    @property
    def errors(self) -> str:
        """Requests slower than the threshold: all of them minus those in the threshold's bucket."""
        matchers = f"{self.selector}," if self.selector else ""
        slow_enough = f'{self.metric}_bucket{{{matchers}le="{format_le(self.threshold)}"}}'
        return f"{self.total}\n-\nsum(rate({slow_enough}[{{{{window}}}}]))"

    @property
    def total(self) -> str:
        """All requests: the histogram's count."""
        selector = f"{{{self.selector}}}" if self.selector else ""
        return f"sum(rate({self.metric}_count{selector}[{{{{window}}}}]))"

    def error_ratio_query(self, window: str) -> str:
        return ratio(render_window(self.errors, window), render_window(self.total, window))

    def events_query(self, window: str) -> str | None:
        """All requests per second over the window: the histogram's count."""
        return render_window(self.total, window)

    def traffic_plan(self) -> HistogramPlan:
        return histogram_plan(self.metric, self.selector, self.threshold)


class NativeLatencySLI(Definition):
    """Requests slower than `threshold` seconds over all requests, from a native histogram (Prometheus 3):
    `histogram_fraction(<threshold>, +Inf, sum(rate(<metric>{<selector>}[window])))`, the share above the
    threshold (`1 - histogram_fraction(0, <threshold>, ...)` for durations, but without the subtraction that
    would cost the ratio its last digits).

    A native histogram has no fixed buckets, so `threshold` may be any positive number of seconds (Prometheus
    interpolates within the bucket it falls in). `metric` is the histogram's name, `selector` the label matchers
    without braces. The generated tests plant native-histogram input series, which promtool 2 cannot read:
    they run on Prometheus 3 only, and `moncc test` says so for every other engine.

    Example:
        ```python
        from compiler.dsl import NativeLatencySLI

        latency = NativeLatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.3)
        ```
    """

    kind: ClassVar[str] = "native latency SLI"

    metric: str
    selector: str = ""
    threshold: float = Field(gt=0, allow_inf_nan=False)

    def __init__(
        self, *, metric: str, threshold: float, selector: str = "", location: SourceLocation | None = None
    ) -> None:
        super().__init__(metric=metric, selector=selector, threshold=threshold, location=location)

    @field_validator("metric")
    @classmethod
    def _valid_metric(cls, metric: str) -> str:
        return check_histogram_name(metric, "a native histogram is one series of that name")

    @field_validator("selector")
    @classmethod
    def _valid_selector(cls, selector: str) -> str:
        return check_histogram_selector(selector)

    @property
    def _histogram(self) -> str:
        """The histogram of all requests per second, summed over the selected series."""
        selector = f"{{{self.selector}}}" if self.selector else ""
        return f"sum(rate({self.metric}{selector}[{{{{window}}}}]))"

    @property
    def query(self) -> str:
        """The error ratio: the share of requests above the threshold."""
        return f"histogram_fraction({format_le(self.threshold)}, +Inf, {self._histogram})"

    @property
    def errors(self) -> str:
        """Requests per second slower than the threshold."""
        return f"{self.total}\n*\n{self.query}"

    @property
    def total(self) -> str:
        """All requests per second: the histogram's count."""
        return f"histogram_count({self._histogram})"

    def error_ratio_query(self, window: str) -> str:
        return parenthesize(render_window(self.query, window))

    def events_query(self, window: str) -> str | None:
        """All requests per second over the window: the histogram's count."""
        return render_window(self.total, window)

    def traffic_plan(self) -> NativeHistogramPlan:
        return native_histogram_plan(self.metric, self.selector, self.threshold)


class ErrorRatioSLI(Definition):
    """An error ratio (between 0 and 1) written as one query using `{{window}}`.

    Example:
        ```python
        from compiler.dsl import ErrorRatioSLI

        delivery = ErrorRatioSLI(
            query="sum(rate(queue_messages_failed_total[{{window}}])) / sum(rate(queue_messages_total[{{window}}]))"
        )
        ```
    """

    kind: ClassVar[str] = "error-ratio SLI"

    query: str

    def __init__(self, *, query: str, location: SourceLocation | None = None) -> None:
        super().__init__(query=query, location=location)

    @field_validator("query")
    @classmethod
    def _valid_query(cls, query: str) -> str:
        return check_window_query(query)

    def error_ratio_query(self, window: str) -> str:
        return parenthesize(render_window(self.query, window))

    def events_query(self, window: str) -> str | None:
        """None: one ratio query gives no count of events."""
        return None

    def traffic_plan(self) -> TrafficPlan:
        return ratio_plan(self.query)


SLI = RatioSLI | LatencySLI | NativeLatencySLI | ErrorRatioSLI
SLI_KINDS = (RatioSLI, LatencySLI, NativeLatencySLI, ErrorRatioSLI)
