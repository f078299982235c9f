"""Synthetic input series for rule tests, in promtool's expanding notation or as readable shapes.

Shapes (`counter`, `gauge`, `step`, `histogram`) are rendered only when the test's sampling interval and
length are known, so a test reads as "grows at 5/s" rather than as sample arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from compiler.dsl.durations import Duration, parse_duration
from compiler.dsl.location import caller_location
from compiler.dsl.messages import definition_error, shown, subject

BucketBound = float | str


def format_number(value: float) -> str:
    """A sample value as promtool reads it, without float noise: 0.1 not 0.10000000000000001."""
    if value == math.inf:
        return "+Inf"
    text = f"{value:.12g}"
    return "0" if text == "-0" else text


class NativeRates(BaseModel):
    """A native histogram (schema 0: bucket `i` holds observations in (2^(i-1), 2^i]) receiving observations at
    steady rates: `buckets` per second from bucket index `offset` on, their `count` and `sum` per second."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offset: int
    buckets: tuple[float, ...]
    count: float
    sum: float

    def render(self, interval: timedelta, samples: int) -> str:
        """From an empty histogram, growing by one interval's observations at every sample."""
        seconds = interval.total_seconds()
        start = self._notation(0.0, 0.0, [0.0] * len(self.buckets))
        step = self._notation(self.count * seconds, self.sum * seconds, [rate * seconds for rate in self.buckets])
        return f"{start}+{step}x{samples - 1}"

    def _notation(self, count: float, total: float, buckets: list[float]) -> str:
        shown = " ".join(format_number(value) for value in buckets)
        return (
            f"{{{{schema:0 sum:{format_number(total)} count:{format_number(count)} "
            f"offset:{self.offset} buckets:[{shown}]}}}}"
        )


def native_bucket(value: float) -> int:
    """The index of the schema-0 native-histogram bucket that holds a positive `value`: (2^(i-1), 2^i]."""
    mantissa, exponent = math.frexp(value)
    return exponent - 1 if mantissa == 0.5 else exponent


class Series(BaseModel):
    """One input series: a selector and its values, either promtool notation or a shape.

    `values` in promtool notation: `'0+10x30'` (start, step, count), `'1x60'`, `'_'` (missing), `'stale'`.
    Made by `counter`, `gauge`, `step`, `histogram` and `raw` rather than by hand.

    Example:
        ```python
        from compiler.dsl import Series

        up = Series(selector='up{job="api"}', values="1x30 0x30")  # as raw('up{job="api"}', "1x30 0x30")
        ```
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    selector: str
    values: str | None = None
    per_second: float | None = Field(default=None, description="counter slope before any change")
    level: float | None = Field(default=None, description="gauge value before any change")
    changes: dict[Duration, float] = Field(default_factory=dict)
    native: NativeRates | None = Field(default=None, description="a native histogram's steady observations")

    def __init__(self, /, **data: Any) -> None:
        """Validate; a mistake is one problem line at the author's line, as for every DSL object."""
        try:
            super().__init__(**data)
        except ValidationError as error:
            selector = data.get("selector")
            named = subject("series", selector if isinstance(selector, str) else None)
            raise definition_error(error, named, caller_location()) from None

    @field_validator("changes", mode="before")
    @classmethod
    def _durations(cls, changes: Mapping[str | timedelta, float]) -> dict[timedelta, float]:
        return {parse_duration(at): value for at, value in changes.items()}

    def render(self, interval: timedelta, samples: int) -> str:
        """The promtool `values` string for `samples` samples taken every `interval`."""
        if self.values is not None:
            return self.values
        if self.native is not None:
            return self.native.render(interval, samples)
        if self.per_second is not None:
            return _render_counter(self.per_second, self.changes, interval, samples)
        assert self.level is not None
        return _render_gauge(self.level, self.changes, interval, samples)


def _segments(
    first: float, changes: Mapping[timedelta, float], interval: timedelta, samples: int
) -> list[tuple[int, float]]:
    """(number of samples, parameter) runs covering `samples` samples."""
    starts = [(0, first)] + [(math.ceil(at / interval), value) for at, value in sorted(changes.items())]
    runs: list[tuple[int, float]] = []
    for (start, value), (end, _) in zip(starts, [*starts[1:], (samples, 0.0)], strict=True):
        if end > start:
            runs.append((min(end, samples) - start, value))
    return [run for run in runs if run[0] > 0]


def _render_counter(per_second: float, changes: Mapping[timedelta, float], interval: timedelta, samples: int) -> str:
    seconds = interval.total_seconds()
    parts: list[str] = []
    value = 0.0
    for index, (count, rate) in enumerate(_segments(per_second, changes, interval, samples)):
        step = rate * seconds
        start = value if index == 0 else value + step
        parts.append(f"{format_number(start)}+{format_number(step)}x{count - 1}")
        value = start + step * (count - 1)
    return " ".join(parts)


def _render_gauge(level: float, changes: Mapping[timedelta, float], interval: timedelta, samples: int) -> str:
    return " ".join(
        f"{format_number(value)}x{count - 1}" for count, value in _segments(level, changes, interval, samples)
    )


def counter(
    selector: str, per_second: float, *, changes: Mapping[str, float] | Mapping[timedelta, float] | None = None
) -> Series:
    """A counter growing at `per_second`, from 0; `changes={"10m": 5}` makes it grow at 5/s from minute 10.

    Example:
        ```python
        from compiler.dsl import counter

        steady = counter('http_requests_total{job="api", code="200"}', 9)  # 9 requests/s throughout
        burst = counter('http_requests_total{job="api", code="500"}', 1, changes={"10m": 5, "20m": 0})
        ```
    """
    return Series(selector=selector, per_second=per_second, changes=dict(changes or {}))


def gauge(
    selector: str, value: float, *, changes: Mapping[str, float] | Mapping[timedelta, float] | None = None
) -> Series:
    """A gauge holding `value`; `changes={"10m": 600}` moves it to 600 at minute 10.

    Example:
        ```python
        from compiler.dsl import gauge

        backlog = gauge('queue_depth{queue="mail"}', 20, changes={"10m": 600, "30m": 20})
        ```
    """
    return Series(selector=selector, level=value, changes=dict(changes or {}))


def step(selector: str, before: float, after: float, *, at: str | timedelta) -> Series:
    """A gauge that is `before` until `at`, then `after`.

    Example:
        ```python
        from compiler.dsl import step

        goes_down = step('up{job="api", instance="a:80"}', 1, 0, at="10m")
        ```
    """
    return gauge(selector, before, changes={parse_duration(at): after})


def histogram(
    metric: str,
    buckets: Mapping[BucketBound, float],
    *,
    labels: Mapping[str, str] | None = None,
) -> list[Series]:
    """The `_bucket`, `_count` and `_sum` counters of a histogram receiving observations at given rates.

    `buckets` maps each upper bound `le` to the cumulative observations per second at or below it, e.g.
    `{0.1: 90, 0.5: 99, "+Inf": 100}`: 100 requests/s, 1 slower than 0.5 s. `_sum` assumes every observation
    sits at its bucket's upper bound (the largest finite bound for `+Inf`).

    Example:
        ```python
        from compiler.dsl import Quiet, RuleTest, histogram

        latency = histogram("http_request_duration_seconds", {0.1: 90, 0.5: 99, "+Inf": 100}, labels={"job": "api"})
        fast_enough = RuleTest("1% slower than 0.5 s", series=[latency], expect=[Quiet(at="20m")])
        ```
    """
    bounds = sorted(((_bound(le), rate) for le, rate in buckets.items()), key=lambda item: item[0])
    if not bounds or bounds[-1][0] != math.inf:
        raise ValueError(f"histogram {shown(metric)}: buckets must include '+Inf' (the total rate)")
    rates = [rate for _, rate in bounds]
    if rates != sorted(rates):
        raise ValueError(
            f"histogram {shown(metric)}: bucket rates must not decrease as `le` grows (they are cumulative)"
        )
    base = dict(labels or {})
    series = [counter(_selector(f"{metric}_bucket", {**base, "le": format_number(le)}), rate) for le, rate in bounds]
    total = bounds[-1][1]
    finite = [le for le, _ in bounds if le != math.inf]
    previous_rate, weighted = 0.0, 0.0
    for le, rate in bounds:
        weighted += (rate - previous_rate) * (le if le != math.inf else (finite[-1] if finite else 0.0))
        previous_rate = rate
    series.append(counter(_selector(f"{metric}_count", base), total))
    series.append(counter(_selector(f"{metric}_sum", base), weighted))
    return series


def native_histogram(selector: str, observations: Mapping[float, float]) -> Series:
    """A native histogram receiving `observations` per second at each observed value (in seconds, say):
    `{0.1: 99, 2: 1}` is 100 requests/s, 1 of them taking 2 s. Each lands in its schema-0 bucket, the powers of
    two: (0.0625, 0.125] for 0.1, (1, 2] for 2. Only Prometheus 3's promtool reads native-histogram series, so a
    test holding one runs on Prometheus 3 alone.

    Example:
        ```python
        from compiler.dsl import native_histogram

        latency = native_histogram('http_request_duration_seconds{job="api"}', {0.1: 99, 2: 1})
        ```
    """
    if not observations or any(value <= 0 or not math.isfinite(value) for value in observations):
        raise ValueError(f"native histogram {shown(selector)}: observe at least one positive, finite value")
    if any(rate < 0 for rate in observations.values()):
        raise ValueError(f"native histogram {shown(selector)}: observations per second cannot be negative")
    by_bucket: dict[int, float] = {}
    for value, rate in observations.items():
        by_bucket[native_bucket(value)] = by_bucket.get(native_bucket(value), 0.0) + rate
    first, last = min(by_bucket), max(by_bucket)
    buckets = tuple(by_bucket.get(index, 0.0) for index in range(first, last + 1))
    total = sum(value * rate for value, rate in observations.items())
    return Series(
        selector=selector,
        native=NativeRates(offset=first, buckets=buckets, count=sum(observations.values()), sum=total),
    )


def _bound(le: BucketBound) -> float:
    return math.inf if isinstance(le, str) and le.lower() in {"+inf", "inf"} else float(le)


def _selector(metric: str, labels: Mapping[str, str]) -> str:
    inner = ", ".join(f'{name}="{value}"' for name, value in sorted(labels.items()))
    return f"{metric}{{{inner}}}" if inner else metric
