"""Table: query results as rows and columns, each column's cells shown as text, colours, gauges, sparklines."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from compiler.grafana.common import Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import GraphFieldConfig
from compiler.grafana.objects import GrafanaObject
from compiler.grafana.options import BarGaugeDisplayMode, BarGaugeValueMode, Reducer
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel

TableCellDisplayMode = Literal[
    "auto",
    "color-text",
    "color-background",
    "color-background-solid",
    "gradient-gauge",
    "lcd-gauge",
    "json-view",
    "basic",
    "image",
    "gauge",
    "sparkline",
    "data-links",
    "custom",
    "actions",
]


class TableSortByFieldState(GrafanaObject):
    WRITTEN = frozenset({"display_name"})

    display_name: str
    desc: bool | None = None


class TableFooterOptions(GrafanaObject):
    """A footer row reducing each column (`reducer`: the calculation)."""

    WRITTEN = frozenset({"show", "reducer"})

    show: bool = False
    reducer: list[Reducer] = Field(default_factory=list)
    fields: list[str] | None = None
    """The fields the footer reduces; absent (Grafana also saves `""`) for every numeric field."""
    enable_pagination: bool | None = None
    count_rows: bool | None = None

    @field_validator("fields", mode="before")
    @classmethod
    def _every_field(cls, fields: Any) -> Any:
        return None if fields == "" else fields


class TableOptions(GrafanaObject):
    WRITTEN = frozenset({"frame_index", "show_header"})

    frame_index: Number = 0
    show_header: bool = True
    show_type_icons: bool | None = None
    sort_by: list[TableSortByFieldState] | None = None
    footer: TableFooterOptions | None = None
    cell_height: Literal["sm", "md", "lg", "auto"] | None = None


class AutoCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["auto"] = "auto"
    wrap_text: bool | None = None


class ColorTextCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["color-text"] = "color-text"
    wrap_text: bool | None = None


class ColoredBackgroundCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["color-background"] = "color-background"
    mode: Literal["basic", "gradient"] | None = None
    apply_to_row: bool | None = None
    wrap_text: bool | None = None


class GaugeCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["gauge"] = "gauge"
    mode: BarGaugeDisplayMode | None = None
    value_display_mode: BarGaugeValueMode | None = None


class SparklineCell(GraphFieldConfig):
    WRITTEN = frozenset({"type"})

    type: Literal["sparkline"] = "sparkline"
    hide_value: bool | None = None


class ImageCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["image"] = "image"
    alt: str | None = None
    title: str | None = None


class DataLinksCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["data-links"] = "data-links"


class ActionsCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["actions"] = "actions"


class JsonViewCell(GrafanaObject):
    WRITTEN = frozenset({"type"})

    type: Literal["json-view"] = "json-view"


TableCellOptions = Annotated[
    AutoCell
    | ColorTextCell
    | ColoredBackgroundCell
    | GaugeCell
    | SparklineCell
    | ImageCell
    | DataLinksCell
    | ActionsCell
    | JsonViewCell,
    Field(discriminator="type"),
]
"""How a column's cells are drawn, by `type`."""


class TableFieldConfig(GrafanaObject):
    WRITTEN = frozenset({"align", "inspect"})

    width: Number | None = None
    min_width: Number | None = None
    align: Literal["auto", "left", "right", "center"] = "auto"
    display_mode: TableCellDisplayMode | None = None
    """Before `cellOptions` (Grafana 10): Grafana still reads it."""
    cell_options: TableCellOptions | None = None
    hidden: bool | None = None
    inspect: bool = False
    filterable: bool | None = None
    hide_header: bool | None = None


class TablePanel(Panel):
    type: Literal["table"] = "table"
    options: TableOptions = Field(default_factory=TableOptions)
    field_config: FieldConfigSource[TableFieldConfig] = Field(default_factory=FieldConfigSource[TableFieldConfig])


KIND = PanelKind("table", TablePanel, has_unit=False, angular_predecessors=("table-old",))
