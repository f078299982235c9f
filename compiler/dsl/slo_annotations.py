"""Which annotations of an SLO's alerts the generated tests can predict, so the DSL refuses the others."""

from __future__ import annotations

import re

LABEL_TEMPLATE = re.compile(r"\{\{\s*(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
PERCENTAGE_TEMPLATE = re.compile(
    r"\{\{\s*(?:(?:\$value|\.Value)\s*\|\s*humanizePercentage|humanizePercentage\s+(?:\$value|\.Value))\s*\}\}"
)


def unpredictable_annotation(annotations: dict[str, str]) -> str | None:
    """The name of an annotation whose text a test cannot predict: templates beyond `$labels.x` and
    `$value | humanizePercentage`. A raw `$value` prints an extrapolated ratio to its last digit, which
    Prometheus 2 and 3 round differently (their windows hold different samples), so no text holds on both."""
    for name, template in annotations.items():
        if "{{" in PERCENTAGE_TEMPLATE.sub("", LABEL_TEMPLATE.sub("", template)):
            return name
    return None
