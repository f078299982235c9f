"""promtool's expanding series notation (`'0+10x3 _ stale 5x2'`) read back into the samples promtool stores.

The window rule (`window_edges.py`) needs the exact samples a test's series has at each time, to tell whether
one sits on a window's left edge and whether it changes what the window yields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(?:[+-]?(?:inf|nan|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))"
_ITEM = re.compile(
    rf"^(?:(?P<blank>_)(?:x(?P<blanks>\d+))?|(?P<stale>stale)"
    rf"|(?P<value>{_NUMBER})(?:(?P<sign>[+-])(?P<step>{_NUMBER}))?(?:x(?P<times>\d+))?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sample:
    """One stored sample: `stale` marks where promtool wrote a staleness marker instead of a value."""

    at_ms: int
    value: float
    stale: bool = False


def expand(values: str, interval_ms: int) -> list[Sample]:
    """The samples of `values` sampled every `interval_ms` from time 0, as promtool's parser expands them:
    `a+bxn` is n+1 values made by adding b n times, `axn` n+1 copies, `_xn` n missing samples."""
    samples: list[Sample] = []
    index = 0
    for item in values.split():
        match = _ITEM.match(item)
        if match is None:
            raise ValueError(f"series values {values!r}: cannot read {item!r}")
        if match["blank"]:
            index += int(match["blanks"]) if match["blanks"] else 1
            continue
        if match["stale"]:
            samples.append(Sample(index * interval_ms, float("nan"), stale=True))
            index += 1
            continue
        value = _number(match["value"])
        step = _number(match["step"]) if match["step"] else 0.0
        if match["sign"] == "-":
            step = -step
        for _ in range(int(match["times"]) + 1 if match["times"] else 1):
            samples.append(Sample(index * interval_ms, value))
            value += step
            index += 1
    return samples


def _number(text: str) -> float:
    return float(text)
