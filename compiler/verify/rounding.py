"""A failed value check that differs from promtool's result only in floating-point rounding, and its fix.

promtool 2.x compares sample values exactly, and 3.4's `fuzzy_compare` (which `moncc test` turns on where the
engine has it) forgives only the last bit, so `0.4` fails against `0.3999999999999991`. The message then says
which value to write, rather than leaving the author to read it out of the exponent notation.
"""

from __future__ import annotations

import math
import re

_SAMPLE = re.compile(
    r"(?P<labels>[a-zA-Z_:][\w:]*(?:\{[^}]*\})?|\{[^}]*\})\s+(?P<value>[-+]?(?:[0-9.]+(?:E[-+]?\d+)?|Inf|NaN))"
)
_RELATIVE = 1e-9


def rounding_hint(expected: str, got: str) -> str:
    """`; write value=...` when each expected sample matches one got sample but for rounding, else ''."""
    wanted, computed = _samples(expected), _samples(got)
    if not wanted or [labels for labels, _ in wanted] != [labels for labels, _ in computed]:
        return ""
    pairs = list(zip((value for _, value in wanted), (value for _, value in computed), strict=True))
    if all(a == b for a, b in pairs) or not all(math.isclose(a, b, rel_tol=_RELATIVE) for a, b in pairs):
        return ""
    values = ", ".join(f"value={b!r}" for _, b in pairs)
    return f"; the values differ only in floating-point rounding: to expect what the engine computes, write {values}"


def _samples(text: str) -> list[tuple[str, float]]:
    return [(match["labels"], float(match["value"])) for match in _SAMPLE.finditer(text)]
