"""How a panel shows each field: unit, thresholds, value mappings, colour, and per-field overrides.

`FieldConfig` is generic in `custom`, the part each panel kind defines (a time series' line width, a table's
cell options): a kind's panel narrows it, an open panel keeps it as an `OpenObject`.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import Field, model_validator

from compiler.grafana.common import DynamicConfigValue, MatcherConfig, Number
from compiler.grafana.links import Action, DashboardLink
from compiler.grafana.objects import GrafanaObject, NullWrittenObject

FieldColorModeId = Literal[
    "thresholds",
    "palette-classic",
    "palette-classic-by-name",
    "continuous-GrYlRd",
    "continuous-RdYlGr",
    "continuous-BlYlRd",
    "continuous-YlRd",
    "continuous-BlPu",
    "continuous-YlBl",
    "continuous-blues",
    "continuous-reds",
    "continuous-greens",
    "continuous-purples",
    "fixed",
    "shades",
]
SpecialValueMatch = Literal["true", "false", "null", "nan", "null+nan", "empty"]


class Threshold(NullWrittenObject):
    """A step: from `value` up, the colour is `color`; the first step's value is null (minus infinity)."""

    WRITTEN = frozenset({"value", "color"})

    value: Number | None = None
    color: str


class ThresholdsConfig(GrafanaObject):
    """The steps, absolute or as a percentage of the field's min..max."""

    WRITTEN = frozenset({"mode", "steps"})

    mode: Literal["absolute", "percentage"] = "absolute"
    steps: list[Threshold] = Field(default_factory=lambda: [Threshold(color="green"), Threshold(value=80, color="red")])


class FieldColor(GrafanaObject):
    """How a field's colour is chosen: by threshold, from a palette, fixed..."""

    WRITTEN = frozenset({"mode"})

    mode: FieldColorModeId = "thresholds"
    fixed_color: str | None = None
    series_by: Literal["min", "max", "last"] | None = None


class ValueMappingResult(GrafanaObject):
    """What a mapped value is shown as."""

    text: str | None = None
    color: str | None = None
    icon: str | None = None
    index: int | None = None


class RangeMapOptions(NullWrittenObject):
    """A range of values, null meaning unbounded on that side."""

    WRITTEN = frozenset({"from_", "to", "result"})

    from_: Number | None = Field(default=None, alias="from")
    to: Number | None = None
    result: ValueMappingResult = Field(default_factory=ValueMappingResult)


class RegexMapOptions(GrafanaObject):
    """Values matching a regular expression."""

    WRITTEN = frozenset({"pattern", "result"})

    pattern: str
    result: ValueMappingResult = Field(default_factory=ValueMappingResult)


class SpecialValueMapOptions(GrafanaObject):
    """A special value: null, NaN, true, false, empty."""

    WRITTEN = frozenset({"match", "result"})

    match: SpecialValueMatch
    result: ValueMappingResult = Field(default_factory=ValueMappingResult)


class ValueMap(GrafanaObject):
    """Exact values, by their text, to what they are shown as."""

    WRITTEN = frozenset({"type", "options"})

    type: Literal["value"] = "value"
    options: dict[str, ValueMappingResult]


class RangeMap(GrafanaObject):
    WRITTEN = frozenset({"type", "options"})

    type: Literal["range"] = "range"
    options: RangeMapOptions


class RegexMap(GrafanaObject):
    WRITTEN = frozenset({"type", "options"})

    type: Literal["regex"] = "regex"
    options: RegexMapOptions


class SpecialValueMap(GrafanaObject):
    WRITTEN = frozenset({"type", "options"})

    type: Literal["special"] = "special"
    options: SpecialValueMapOptions


ValueMapping = Annotated[ValueMap | RangeMap | RegexMap | SpecialValueMap, Field(discriminator="type")]

CustomT = TypeVar("CustomT", bound=GrafanaObject, covariant=True)


class FieldConfig(GrafanaObject, Generic[CustomT]):
    """The defaults of every field of a panel; `custom` is the panel kind's own."""

    display_name: str | None = None
    display_name_from_ds: str | None = Field(default=None, alias="displayNameFromDS")
    description: str | None = ""
    path: str | None = None
    writeable: bool | None = None
    filterable: bool | None = None
    unit: str | None = None
    decimals: Number | None = None
    min: Number | None = None
    max: Number | None = None
    mappings: list[ValueMapping] = Field(default_factory=list)
    thresholds: ThresholdsConfig | None = Field(default_factory=ThresholdsConfig)
    """Absent, Grafana's standard thresholds: green, red from 80 (not none: a field coloured by thresholds
    turns red at 80)."""
    color: FieldColor | None = None
    links: list[DashboardLink] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    no_value: str | None = None
    custom: CustomT | None = None
    field_min_max: bool | None = False


class FieldOverride(GrafanaObject):
    """Properties set on the fields a matcher picks, over the defaults."""

    WRITTEN = frozenset({"matcher", "properties"})

    system_ref: str | None = Field(default=None, alias="__systemRef")
    matcher: MatcherConfig = Field(default_factory=MatcherConfig)
    properties: list[DynamicConfigValue] = Field(default_factory=list)


class FieldConfigSource(GrafanaObject, Generic[CustomT]):
    """A panel's `fieldConfig`: the defaults and the overrides."""

    WRITTEN = frozenset({"defaults", "overrides"})

    defaults: FieldConfig[CustomT]
    overrides: list[FieldOverride] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _defaults_required(cls, data: Any) -> Any:
        """Grafana's schema requires `defaults`; left out, they are all Grafana's (a parametrized default
        cannot be a default factory: it would not know the panel kind's `custom`)."""
        if isinstance(data, dict) and "defaults" not in data:
            return {**data, "defaults": {}}
        return data
