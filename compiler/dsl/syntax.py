"""Validators for the names and templates that Prometheus would reject at load time."""

from __future__ import annotations

import re

from compiler.dsl.go_template import check_template

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def check_label_name(name: str) -> str:
    if not LABEL_NAME.fullmatch(name):
        raise ValueError(f"invalid label name {name!r}: must match [a-zA-Z_][a-zA-Z0-9_]*")
    if name.startswith("__"):
        raise ValueError(f"invalid label name {name!r}: names starting with '__' are reserved")
    return name


def check_text(text: str) -> str:
    """Refuse what is not Unicode text (a lone surrogate, from a `\\ud800` escape): it has no UTF-8 form to write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"{text[error.start]!r} at offset {error.start} is a lone surrogate, not text") from None
    return text


def check_metric_name(name: str) -> str:
    if not METRIC_NAME.fullmatch(name):
        raise ValueError(f"invalid metric name {name!r}: must match [a-zA-Z_:][a-zA-Z0-9_:]*")
    return name


def check_templated_map(values: dict[str, str]) -> dict[str, str]:
    """Labels or annotations whose values are Go templates: valid names, balanced templates, sorted by name."""
    for name, text in values.items():
        check_label_name(name)
        try:
            check_template(check_text(text))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return dict(sorted(values.items()))
