"""Candlestick: open, high, low, close (and volume) per interval, drawn over a time series' axes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.field_styles import GraphFieldConfig
from compiler.grafana.objects import OpenObject
from compiler.grafana.options import VizLegendOptions, VizTooltipOptions
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import Panel


class CandlestickColors(OpenObject):
    up: str = "green"
    down: str = "red"
    flat: str = "gray"


class CandlestickOptions(OpenObject):
    mode: Literal["candles+volume", "candles", "volume"] = "candles+volume"
    candle_style: Literal["candles", "ohlcbars"] = "candles"
    color_strategy: Literal["open-close", "close-close"] = "open-close"
    colors: CandlestickColors = Field(default_factory=CandlestickColors)
    include_all_fields: bool = False
    fields: OpenObject | None = None
    """Which fields are open, high, low, close and volume; guessed from their names when left out."""
    legend: VizLegendOptions = Field(default_factory=VizLegendOptions)
    tooltip: VizTooltipOptions = Field(default_factory=VizTooltipOptions)


class CandlestickPanel(Panel):
    type: Literal["candlestick"] = "candlestick"
    options: CandlestickOptions = Field(default_factory=CandlestickOptions)
    field_config: FieldConfigSource[GraphFieldConfig] = Field(default_factory=FieldConfigSource[GraphFieldConfig])


KIND = PanelKind("candlestick", CandlestickPanel, has_legend=True)
