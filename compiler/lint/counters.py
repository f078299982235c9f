"""Whether a series is a counter: as the metrics catalogue declares it, else as its name suggests."""

from __future__ import annotations

from compiler.load.metrics import Catalogue

_COUNTER_SUFFIXES = ("_total", "_count", "_sum", "_bucket")
_GAUGE_SUFFIXES = ("_ratio", "_percent", "_celsius", "_info")
"""Names no counter takes. Not `_bytes` or `_seconds`: exporters such as elasticsearch_exporter name counters so."""
_RATE_OPERATIONS = ("rate", "irate", "increase", "ratio", "deriv")


def is_counter(name: str, catalogue: Catalogue | None) -> bool | None:
    """Whether the series only goes up: as the catalogue declares it, else as its name suggests; None when the
    name does not tell. A declared histogram's base name is its native form, which `rate` reads like a counter."""
    shape = catalogue.get(name) if catalogue else None
    if shape is not None:
        return shape.counter
    if catalogue and catalogue.get(f"{name}_bucket") is not None:
        return True
    if ":" in name:
        operations = name.rsplit(":", 1)[1]
        return False if operations.startswith(_RATE_OPERATIONS) else None
    if name.endswith(_COUNTER_SUFFIXES):
        return True
    if name == "up" or name.endswith(_GAUGE_SUFFIXES):
        return False
    return None
