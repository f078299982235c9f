"""A source's dashboard (grafanalib's objects, or moncc's typed Grafana model) as plain JSON values, the form
every adaptation step reads."""

from __future__ import annotations

import json
from typing import Any

from grafanalib._gen import DashboardEncoder

from compiler.grafana.dashboard import Dashboard
from compiler.grafana.write_v1 import v1_document


def grafanalib_json(value: Any) -> dict[str, Any]:
    """grafanalib's serialisation of a dashboard or panel as plain JSON values (its objects and `Pixels` turned
    into data)."""
    if isinstance(value, Dashboard):
        return v1_document(value)
    return json.loads(json.dumps(value.to_json_data(), cls=DashboardEncoder))  # type: ignore[no-any-return]
