"""The PromQL text an SLI is made of: window placeholders, histogram bucket bounds, error ratios."""

from __future__ import annotations

import math
import re
from decimal import Decimal

WINDOW_PLACEHOLDER = re.compile(r"\{\{\s*\.?window\s*\}\}")
"""`{{window}}`, also written `{{ window }}` or, as Sloth spells it, `{{.window}}`."""

CHECK_WINDOW = "5m"
"""The window substituted to check that a query parses."""


def has_window(query: str) -> bool:
    return WINDOW_PLACEHOLDER.search(query) is not None


def render_window(query: str, window: str) -> str:
    """The query for one window: every `{{window}}` replaced by a Prometheus duration such as `5m`."""
    return WINDOW_PLACEHOLDER.sub(window, query)


def format_le(bound: float) -> str:
    """A bucket bound as Prometheus' client libraries write the `le` label: Go's shortest `%g`.

    `0.5` → `0.5`, `1.0` → `1`, `2.5` → `2.5`, `1e6` → `1e+06`, `0.00001` → `1e-05`.
    """
    if math.isinf(bound):
        return "+Inf" if bound > 0 else "-Inf"
    if bound == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(float(bound))).normalize().as_tuple()
    assert isinstance(exponent, int)
    mantissa = "".join(str(digit) for digit in digits)
    point = len(mantissa) + exponent
    scientific = point - 1
    prefix = "-" if sign else ""
    if scientific < -4 or scientific >= 6:
        fraction = f".{mantissa[1:]}" if len(mantissa) > 1 else ""
        return f"{prefix}{mantissa[0]}{fraction}e{'-' if scientific < 0 else '+'}{abs(scientific):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{mantissa}"
    if point >= len(mantissa):
        return f"{prefix}{mantissa}{'0' * (point - len(mantissa))}"
    return f"{prefix}{mantissa[:point]}.{mantissa[point:]}"


def parenthesize(query: str) -> str:
    """`(query)` on one line; a multi-line query indented inside its own parentheses."""
    if "\n" not in query:
        return f"({query})"
    body = "\n".join(f"  {line}" if line else line for line in query.splitlines())
    return f"(\n{body}\n)"


def ratio(errors: str, total: str) -> str:
    """`errors / total`, each side in parentheses, the division on its own line as Sloth writes it."""
    return f"{parenthesize(errors)}\n/\n{parenthesize(total)}"
