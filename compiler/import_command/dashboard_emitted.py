"""The yardstick of every import decision: what `moncc build` emits for a piece of dashboard JSON.

A generated keyword argument, `Target` or `Template` is right when the emitter turns it into what it turns
the input into; the emitter's own functions are asked, so the importer never restates its normalisations.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from grafanalib.core import RowPanel

from compiler.model.dashboards.document import ModernDashboard, modern_dashboard
from compiler.model.dashboards.panels import modern_panel, modern_row
from compiler.model.dashboards.plain_data import grafanalib_json
from compiler.model.dashboards.problems import PanelProblems
from compiler.model.dashboards.targets import modern_targets
from compiler.settings.grafana import GrafanaSettings

IMPORT_MODULE = "imported"
"""The module name the checks build under; it only matters to a dashboard without a uid, on both sides alike."""


class RawJson:
    """Dashboard JSON posing as a grafanalib object, so the emitter converts it as it would grafanalib's output."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_json_data(self) -> dict[str, Any]:
        return self.data


def emitted_dashboard(dashboard: Any, settings: GrafanaSettings) -> ModernDashboard:
    """The built form of a grafanalib `Dashboard` or of dashboard JSON (a `RawJson`)."""
    return modern_dashboard(dashboard, IMPORT_MODULE, settings)


def emitted_panel(raw: dict[str, Any], settings: GrafanaSettings) -> tuple[dict[str, Any] | None, list[str]]:
    """The built form of one panel's JSON (a row without its panels), and the emitter's complaints about it."""
    problems = PanelProblems()
    panel = copy.deepcopy(raw)
    if panel.get("type") == "row":
        panel.pop("panels", None)
        converted: dict[str, Any] | None = modern_row(panel, problems, _row_defaults())
    else:
        converted = modern_panel(panel, settings.datasource_ref, problems)
    return converted, problems.messages


def emitted_targets(targets: list[Any], datasource: dict[str, str]) -> list[Any]:
    """The built form of a panel's targets (JSON or grafanalib `Target`s), given the panel's datasource."""
    return modern_targets(as_json(targets), datasource, {}, PanelProblems())


def as_json(value: Any) -> Any:
    """grafanalib objects (anywhere inside `value`) as the JSON grafanalib writes for them; a deep copy."""
    return grafanalib_json(RawJson({"value": value}))["value"]


def emitted_variable(variable: Any, settings: GrafanaSettings) -> list[Any]:
    """The built form of one template variable (after the datasource variable the emitter adds when missing)."""
    probe = RawJson({"title": "", "panels": [], "templating": {"list": [variable]}})
    return list(emitted_dashboard(probe, settings).document["templating"]["list"])


@cache
def _row_defaults() -> dict[str, Any]:
    return grafanalib_json(RowPanel())
