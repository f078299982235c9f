"""Data grid: one data frame as an editable spreadsheet (experimental in Grafana 10-12)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.objects import OpenObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel


class DataGridOptions(OpenObject):
    selected_series: int = 0
    """Which of the query's frames is shown."""


class DataGridPanel(OpenPanel):
    type: Literal["datagrid"] = "datagrid"
    options: DataGridOptions = Field(default_factory=DataGridOptions)


KIND = PanelKind("datagrid", DataGridPanel, has_unit=False)
