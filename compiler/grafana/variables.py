"""Template variables (Grafana's `VariableModel`): one model for every variable type, as Grafana saves them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from compiler.grafana.common import DataSourceRef
from compiler.grafana.objects import GrafanaObject, SupersededFieldsObject
from compiler.grafana.targets import AdhocFilter

VariableType = Literal[
    "query",
    "adhoc",
    "groupby",
    "constant",
    "datasource",
    "interval",
    "textbox",
    "custom",
    "system",
    "snapshot",
    "switch",
]


class VariableOption(GrafanaObject):
    """A value of a variable: the one selected (`current`), or one of its `options`."""

    WRITTEN = frozenset({"text", "value"})

    selected: bool | None = False
    text: str | list[str] = ""
    value: str | list[str] = ""


class VariableModel(SupersededFieldsObject):
    """A variable: `query` (values from a datasource query), `custom` (a comma-separated list), `constant`,
    `datasource` (the datasources of a plugin type), `interval`, `textbox`, `adhoc` filters, `groupby`."""

    WRITTEN = frozenset({"type", "name"})
    IGNORED = frozenset({"tagsQuery", "tagValuesQuery", "useTags", "tags", "queryValue"})
    """Value tags, removed in Grafana 8; `queryValue`, the variable editor's state some versions saved."""

    type: VariableType
    name: str
    label: str | None = None
    hide: Literal[0, 1, 2, 3] | None = 0
    """0 shows the label and value, 1 the value only, 2 nothing."""
    skip_url_sync: bool | None = False
    description: str | None = ""
    query: str | dict[str, Any] | None = None
    datasource: DataSourceRef | None = None
    current: VariableOption | None = None
    multi: bool | None = False
    allow_custom_value: bool | None = None
    options: list[VariableOption] | None = Field(default_factory=list)
    refresh: Literal[0, 1, 2] | None = None
    """When a query variable's values are read: 1 on load, 2 on every time range change."""
    sort: Literal[0, 1, 2, 3, 4, 5, 6, 7, 8] | None = 0
    include_all: bool | None = False
    all_value: str | None = None
    regex: str | None = ""
    static_options: list[VariableOption] | None = None
    static_options_order: Literal["before", "after", "sorted"] | None = None
    auto: bool | None = None
    auto_min: str | None = Field(default=None, alias="auto_min")
    auto_count: int | None = Field(default=None, alias="auto_count")
    definition: str | None = ""
    filters: list[AdhocFilter] | None = None
    """An ad hoc variable's filters (Grafana saves them, though its schema does not list them)."""

    @field_validator("current", mode="before")
    @classmethod
    def _nothing_selected(cls, current: Any) -> Any:
        """Grafana saves `current: {}` for a variable with no value yet: nothing is selected."""
        return None if current == {} else current


class Templating(GrafanaObject):
    """The dashboard's variables, in the order Grafana shows them."""

    WRITTEN = frozenset({"variables"})

    variables: list[VariableModel] = Field(default_factory=list, alias="list")
