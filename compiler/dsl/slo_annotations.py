"""Which annotations of an SLO's alerts the generated tests can predict, so the DSL refuses the others."""

from __future__ import annotations

import re

LABEL_TEMPLATE = re.compile(r"\{\{\s*(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
VALUE_TEMPLATE = re.compile(r"\{\{\s*(?:\$value|\.Value)\s*\}\}")
PERCENTAGE_TEMPLATE = re.compile(
    r"\{\{\s*(?:(?:\$value|\.Value)\s*\|\s*humanizePercentage|humanizePercentage\s+(?:\$value|\.Value))\s*\}\}"
)


def unpredictable_annotation(annotations: dict[str, str]) -> str | None:
    """The name of an annotation whose text a test cannot predict: templates beyond `$labels.x`, `$value` and
    `humanizePercentage`."""
    for name, template in annotations.items():
        if "{{" in PERCENTAGE_TEMPLATE.sub("", VALUE_TEMPLATE.sub("", LABEL_TEMPLATE.sub("", template))):
            return name
    return None
