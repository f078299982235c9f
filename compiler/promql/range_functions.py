"""What a range function yields for a window's samples, computed as each Prometheus engine computes it.

Prometheus 2 and 3 select different samples for the same window when one sits exactly on its left edge; the
window rule (`window_edges.py`) asks here whether that sample changes the function's result. Floats are
computed in the engines' own order of operations, because promtool compares expected values exactly: the two
engines may give a linear counter's rate with different rounding. A function not modelled here answers
`UNKNOWN`, and an edge sample under it is assumed to matter.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from enum import Enum

from compiler.promql.series_notation import Sample


class Engine(Enum):
    """The two range-selection semantics: `[t - r, t]` before Prometheus 3, `(t - r, t]` from 3.0."""

    PROMETHEUS_2 = "Prometheus 2"
    PROMETHEUS_3 = "Prometheus 3"


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
"""The function is not modelled: its result on an edge sample cannot be told apart."""

Result = float | None | _Unknown
"""A value, None for no result (too few samples), or UNKNOWN."""


def range_function_value(
    function: str | None, samples: Sequence[Sample], start_ms: int, end_ms: int, range_ms: int, engine: Engine
) -> Result:
    """`function` over the window's (non-stale) samples; `start_ms`/`end_ms` are the window's bounds."""
    if function in ("rate", "increase", "delta"):
        compute = _extrapolated_rate_2 if engine is Engine.PROMETHEUS_2 else _extrapolated_rate_3
        return compute(samples, start_ms, end_ms, range_ms, function != "delta", function == "rate")
    if function in ("deriv", "predict_linear"):
        return _line(samples)
    simple = _SIMPLE.get(function or "")
    if simple is None:
        return UNKNOWN
    return simple(samples) if samples else None


def _extrapolated_rate_2(
    samples: Sequence[Sample], start_ms: int, end_ms: int, range_ms: int, is_counter: bool, is_rate: bool
) -> float | None:
    """Prometheus 2.x's extrapolatedRate: the zero point limits the start before the threshold applies."""
    if len(samples) < 2:
        return None
    result, duration_to_start, duration_to_end, sampled, average = _spans(samples, start_ms, end_ms, is_counter)
    if is_counter and result > 0 and samples[0].value >= 0:
        duration_to_zero = sampled * (samples[0].value / result)
        duration_to_start = min(duration_to_start, duration_to_zero)
    threshold = average * 1.1
    extrapolated = sampled
    extrapolated += duration_to_start if duration_to_start < threshold else average / 2
    extrapolated += duration_to_end if duration_to_end < threshold else average / 2
    result = result * (extrapolated / sampled)
    return result / (range_ms / 1000) if is_rate else result


def _extrapolated_rate_3(
    samples: Sequence[Sample], start_ms: int, end_ms: int, range_ms: int, is_counter: bool, is_rate: bool
) -> float | None:
    """Prometheus 3.x's extrapolatedRate: the threshold applies first, then the zero point; one factor."""
    if len(samples) < 2:
        return None
    result, duration_to_start, duration_to_end, sampled, average = _spans(samples, start_ms, end_ms, is_counter)
    threshold = average * 1.1
    if duration_to_start >= threshold:
        duration_to_start = average / 2
    if is_counter and result > 0 and samples[0].value >= 0:
        duration_to_start = min(duration_to_start, sampled * (samples[0].value / result))
    if duration_to_end >= threshold:
        duration_to_end = average / 2
    factor = (sampled + duration_to_start + duration_to_end) / sampled
    if is_rate:
        factor /= range_ms / 1000
    return result * factor


def _spans(
    samples: Sequence[Sample], start_ms: int, end_ms: int, is_counter: bool
) -> tuple[float, float, float, float, float]:
    """What both versions' extrapolatedRate start from: the increase, the gaps to the window's ends, the span
    the samples cover and their average spacing (seconds)."""
    sampled = (samples[-1].at_ms - samples[0].at_ms) / 1000
    return (
        _delta(samples, is_counter),
        (samples[0].at_ms - start_ms) / 1000,
        (end_ms - samples[-1].at_ms) / 1000,
        sampled,
        sampled / (len(samples) - 1),
    )


def _delta(samples: Sequence[Sample], is_counter: bool) -> float:
    result = samples[-1].value - samples[0].value
    if is_counter:
        for previous, current in itertools.pairwise(samples):
            if current.value < previous.value:
                result += previous.value
    return result


def _line(samples: Sequence[Sample]) -> Result:
    """`deriv` and `predict_linear` fit a line by least squares: on samples that lie on one line, every subset
    of two or more gives that line, so both engines agree; the line's slope stands for the result. Any other
    samples are not modelled."""
    if len(samples) < 2:
        return None
    first, last = samples[0], samples[-1]
    slope = (last.value - first.value) / ((last.at_ms - first.at_ms) / 1000)
    for sample in samples:
        expected = first.value + slope * (sample.at_ms - first.at_ms) / 1000
        if not math.isclose(sample.value, expected, rel_tol=1e-9, abs_tol=1e-9):
            return UNKNOWN
    return slope


def _last_two(samples: Sequence[Sample], is_rate: bool) -> float | None:
    if len(samples) < 2:
        return None
    previous, last = samples[-2], samples[-1]
    result = last.value if is_rate and last.value < previous.value else last.value - previous.value
    return result / ((last.at_ms - previous.at_ms) / 1000) if is_rate else result


def _changes(samples: Sequence[Sample], resets: bool) -> float:
    pairs = itertools.pairwise(samples)
    if resets:
        return float(sum(current.value < previous.value for previous, current in pairs))
    return float(
        sum(
            current.value != previous.value and not (math.isnan(current.value) and math.isnan(previous.value))
            for previous, current in pairs
        )
    )


_SIMPLE: dict[str, Callable[[Sequence[Sample]], float | None]] = {
    "irate": lambda samples: _last_two(samples, True),
    "idelta": lambda samples: _last_two(samples, False),
    "count_over_time": lambda samples: float(len(samples)),
    "sum_over_time": lambda samples: math.fsum(sample.value for sample in samples),
    "avg_over_time": lambda samples: math.fsum(sample.value for sample in samples) / len(samples),
    "present_over_time": lambda samples: 1.0,
    "last_over_time": lambda samples: samples[-1].value,
    "max_over_time": lambda samples: max(sample.value for sample in samples),
    "min_over_time": lambda samples: min(sample.value for sample in samples),
    "changes": lambda samples: _changes(samples, resets=False),
    "resets": lambda samples: _changes(samples, resets=True),
}
"""Functions whose result follows from the samples alone (sums and means up to rounding, which the caller
tolerates: the engines sum in different orders)."""
