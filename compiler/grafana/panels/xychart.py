"""XY chart: points or lines of one numeric field against another, series chosen automatically or by hand."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.common import MatcherConfig
from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import AxisHideableFieldConfig, LineStyle
from compiler.grafana.objects import GrafanaObject
from compiler.grafana.options import LegendTooltipOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class FieldMatcher(GrafanaObject):
    WRITTEN = frozenset({"matcher"})

    matcher: MatcherConfig


class FixedName(GrafanaObject):
    fixed: str | None = None


class XYSeriesConfig(GrafanaObject):
    """One series of `manual` mapping: its frame, x, y, and the fields giving colour and size."""

    name: FixedName | None = None
    frame: FieldMatcher | None = None
    x: FieldMatcher | None = None
    y: FieldMatcher | None = None
    color: FieldMatcher | None = None
    size: FieldMatcher | None = None


class XYChartOptions(LegendTooltipOptions):
    WRITTEN = LegendTooltipOptions.WRITTEN | {"mapping", "series"}

    mapping: Literal["auto", "manual"] = "auto"
    series: list[XYSeriesConfig] = Field(default_factory=list)


class PointSize(GrafanaObject):
    fixed: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)


class XYChartFieldConfig(AxisHideableFieldConfig):
    show: Literal["points", "lines", "points+lines"] = "points"
    point_size: PointSize | None = None
    point_shape: Literal["circle", "square"] | None = None
    point_stroke_width: int | None = None
    fill_opacity: int = 50
    line_width: int | None = None
    line_style: LineStyle | None = None


class XYChartPanel(Panel):
    type: Literal["xychart"] = "xychart"
    options: XYChartOptions = Field(default_factory=XYChartOptions)
    field_config: FieldConfigSource[XYChartFieldConfig] = Field(default_factory=FieldConfigSource[XYChartFieldConfig])


KIND = PanelKind("xychart", XYChartPanel, has_legend=True)
