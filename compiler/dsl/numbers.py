"""Numbers as a person writes them: `0.001`, not `0.0009999999999999432`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

SIGNIFICANT_DIGITS = 12


def format_number(value: float | Decimal | Fraction) -> str:
    """Round to 12 significant digits and print the shortest form: `14.4`, `6`, `0.001`, `0.933333333333`.

    Twelve digits are far beyond what an SLO threshold means, and few enough to hide binary noise.
    """
    rounded = float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
    text = repr(rounded)
    return text.removesuffix(".0")
