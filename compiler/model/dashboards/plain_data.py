"""grafanalib's objects as plain JSON values, the form every adaptation step reads."""

from __future__ import annotations

import json
from typing import Any

from grafanalib._gen import DashboardEncoder

_SCALARS = frozenset([str, int, float, bool, type(None)])
_JSON_TYPES = (str, int, float, list, tuple, dict)


def grafanalib_json(value: Any) -> dict[str, Any]:
    """grafanalib's serialisation of a dashboard or panel as plain JSON values (its objects and `Pixels` turned
    into data)."""
    return _plain(value.to_json_data())  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    """What `json.loads(json.dumps(value, cls=DashboardEncoder))` gives, a fresh copy the adapter may change.

    The round trip through text was most of the cost of reading a grafanalib dashboard; this copies JSON's own
    types directly (tuples become lists) and serialises grafanalib's objects as the encoder does, by their
    `to_json_data`. Anything else (a subclass of a JSON type, a dict with other keys than text, a value JSON
    cannot write) still takes the round trip, so the result and the errors are the encoder's.
    `tests/model/test_dashboards_plain_data.py` proves it."""
    kind = type(value)
    if kind is dict:
        if all(type(key) is str for key in value):
            return {key: item if type(item) in _SCALARS else _plain(item) for key, item in value.items()}
    elif kind is list or kind is tuple:
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    elif kind in _SCALARS:
        return value
    elif not isinstance(value, _JSON_TYPES):
        to_json_data = getattr(value, "to_json_data", None)
        if to_json_data:
            return _plain(to_json_data())
    return json.loads(json.dumps(value, cls=DashboardEncoder))
