"""grafanalib's objects as plain JSON values, the form every adaptation step reads."""

from __future__ import annotations

import json
from typing import Any

from grafanalib._gen import DashboardEncoder


def grafanalib_json(value: Any) -> dict[str, Any]:
    """grafanalib's serialisation of a dashboard or panel as plain JSON values (its objects and `Pixels` turned
    into data)."""
    return json.loads(json.dumps(value.to_json_data(), cls=DashboardEncoder))  # type: ignore[no-any-return]
