"""Heatmap: buckets over time (a Prometheus histogram's `le` series), each cell coloured by its count."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from compiler.grafana.common import Number
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import AxisFieldConfig, HideableFieldConfig, ScaleDistributionConfig
from compiler.grafana.objects import GrafanaObject
from compiler.grafana.options import TooltipDisplayMode, VisibilityMode
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class HeatmapColorOptions(GrafanaObject):
    WRITTEN = frozenset({"scheme", "fill", "exponent", "steps", "reverse"})

    mode: Literal["opacity", "scheme"] | None = None
    scheme: str = "Oranges"
    fill: str = "dark-orange"
    scale: Literal["linear", "exponential"] | None = None
    exponent: Number = 0.5
    steps: int = 64
    reverse: bool = False
    min: Number | None = None
    max: Number | None = None


class HeatmapYAxis(AxisFieldConfig):
    unit: str | None = None
    reverse: bool | None = False
    decimals: Number | None = None
    min: Number | None = None
    max: Number | None = None


class HeatmapCellValues(GrafanaObject):
    unit: str | None = None
    decimals: Number | None = None


class HeatmapFilterValues(GrafanaObject):
    """Cells hidden: values at or below `le`, at or above `ge`."""

    le: Number | None = None
    ge: Number | None = None


class HeatmapTooltip(GrafanaObject):
    WRITTEN = frozenset({"mode"})

    @model_validator(mode="before")
    @classmethod
    def _show_as_mode(cls, data: Any) -> Any:
        """Grafana 9 and 10 saved a switch, `show`, which Grafana 11 reads as mode single or none."""
        if isinstance(data, dict) and "show" in data:
            shown = {key: value for key, value in data.items() if key != "show"}
            shown.setdefault("mode", "single" if data["show"] else "none")
            return shown
        return data

    mode: TooltipDisplayMode = "single"
    max_height: Number | None = None
    max_width: Number | None = None
    y_histogram: bool | None = None
    show_color_scale: bool | None = None


class HeatmapLegend(GrafanaObject):
    WRITTEN = frozenset({"show"})

    show: bool = True


class ExemplarConfig(GrafanaObject):
    WRITTEN = frozenset({"color"})

    color: str = "rgba(255,0,255,0.7)"


class HeatmapRowsFrame(GrafanaObject):
    """How series already bucketed are read: `le` (Prometheus' upper bounds), `ge`, or guessed."""

    value: str | None = None
    layout: Literal["le", "ge", "unknown", "auto"] | None = None


class HeatmapCalculationBucket(GrafanaObject):
    mode: Literal["size", "count"] | None = None
    value: str | None = None
    scale: ScaleDistributionConfig | None = None


class HeatmapCalculation(GrafanaObject):
    x_buckets: HeatmapCalculationBucket | None = None
    y_buckets: HeatmapCalculationBucket | None = None


class HeatmapOptions(GrafanaObject):
    WRITTEN = frozenset({"color", "show_value", "y_axis", "legend", "tooltip", "exemplars"})

    calculate: bool = False
    """Bucket raw values here, instead of reading buckets the query returns."""
    calculation: HeatmapCalculation | None = None
    color: HeatmapColorOptions = Field(default_factory=HeatmapColorOptions)
    filter_values: HeatmapFilterValues | None = None
    rows_frame: HeatmapRowsFrame | None = None
    show_value: VisibilityMode = "auto"
    cell_gap: int = 1
    cell_radius: Number | None = None
    cell_values: HeatmapCellValues | None = None
    y_axis: HeatmapYAxis = Field(default_factory=HeatmapYAxis)
    legend: HeatmapLegend = Field(default_factory=HeatmapLegend)
    tooltip: HeatmapTooltip = Field(default_factory=HeatmapTooltip)
    exemplars: ExemplarConfig = Field(default_factory=ExemplarConfig)
    selection_mode: Literal["x", "y", "xy"] | None = None


class HeatmapFieldConfig(HideableFieldConfig):
    scale_distribution: ScaleDistributionConfig | None = Field(default_factory=ScaleDistributionConfig)


class HeatmapPanel(Panel):
    IGNORED: ClassVar[frozenset[str]] = frozenset(
        {
            "cards",
            "color",
            "dataFormat",
            "heatmap",
            "hideZeroBuckets",
            "highlightCards",
            "legend",
            "reverseYBuckets",
            "tooltip",
            "tooltipDecimals",
            "xAxis",
            "xBucketNumber",
            "xBucketSize",
            "yAxis",
            "yBucketBound",
            "yBucketNumber",
            "yBucketSize",
        }
    )
    """The AngularJS heatmap's settings, which Grafana keeps in a migrated panel but no longer reads."""

    type: Literal["heatmap"] = "heatmap"
    options: HeatmapOptions = Field(default_factory=HeatmapOptions)
    field_config: FieldConfigSource[HeatmapFieldConfig] = Field(default_factory=FieldConfigSource[HeatmapFieldConfig])


KIND = PanelKind("heatmap", HeatmapPanel, has_unit=False)
