"""`grafanalib_json` gives exactly what grafanalib's encoder gives through JSON text (`json.loads(json.dumps(
..., cls=DashboardEncoder))`): for every grafanalib panel class, the bench's kinds of dashboard, and values the
encoder handles in its own way (tuples, `Pixels`, subclasses of JSON types, dicts keyed by numbers, NaN)."""

from __future__ import annotations

import enum
import inspect
import json
import math
from typing import Any

import grafanalib.core as grafanalib
import pytest
from grafanalib._gen import DashboardEncoder

from compiler.model.dashboards.plain_data import grafanalib_json


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 2


def through_text(value: Any) -> Any:
    return json.loads(json.dumps(value.to_json_data(), cls=DashboardEncoder))


def same(left: Any, right: Any) -> bool:
    """Equal, types included (NaN equal to NaN), so a tuple left a tuple or an enum left an enum shows."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


class Holder:
    """A grafanalib-like object whose data holds what the encoder treats specially."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def to_json_data(self) -> Any:
        return self.data


PANEL_CLASSES = [
    cls
    for _, cls in inspect.getmembers(grafanalib, inspect.isclass)
    if issubclass(cls, grafanalib.Panel) and cls is not grafanalib.Panel
]


@pytest.mark.parametrize("panel_class", PANEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_grafanalib_panel_class_is_read_as_through_text(panel_class: type) -> None:
    panel = panel_class(title="t")
    assert same(grafanalib_json(panel), through_text(panel))


def test_a_dashboard_with_rows_templating_and_targets_is_read_as_through_text() -> None:
    dashboard = grafanalib.Dashboard(
        title="Service",
        tags=("a", "b"),
        templating=grafanalib.Templating([grafanalib.Template(name="job", query="label_values(up, job)")]),
        rows=[grafanalib.Row(panels=[grafanalib.Graph(title="g", targets=[grafanalib.Target(expr="up")])])],
        panels=[
            grafanalib.RowPanel(title="r", gridPos=grafanalib.GridPos(h=1, w=24, x=0, y=0)),
            grafanalib.TimeSeries(title="ts", targets=[grafanalib.Target(expr="rate(x[5m])", refId="A")], unit="s"),
            grafanalib.Stat(title="s", thresholds=[{"color": "green", "value": None}]),
        ],
    )
    assert same(grafanalib_json(dashboard), through_text(dashboard))


@pytest.mark.parametrize(
    "data",
    [
        {"a": (1, 2.5, (None, True)), "b": [grafanalib.Pixels(3)], "c": {}, "d": []},
        {"nan": float("nan"), "inf": float("-inf"), "zero": -0.0, "big": 2**80, "text": "é\u2028"},
        {"colour": Colour.RED, "level": Level.HIGH, "list": [Colour.RED, Level.HIGH]},
        {1: "one", "two": {2.5: "x", None: True, False: 0}},
        {"nested": Holder({"inner": Holder([Holder((1, 2))])})},
        {"subclassed": type("Named", (dict,), {})(a=1), "tuple": (grafanalib.Pixels(1),)},
    ],
)
def test_values_the_encoder_treats_specially_are_read_as_through_text(data: Any) -> None:
    assert same(grafanalib_json(Holder(data)), through_text(Holder(data)))


def test_the_copy_shares_nothing_with_grafanalib_objects() -> None:
    shared = {"list": [1]}
    first = grafanalib_json(Holder({"a": shared, "b": shared}))
    first["a"]["list"].append(2)
    assert first["b"] == {"list": [1]}
    assert shared == {"list": [1]}


def test_what_the_encoder_refuses_is_refused_alike() -> None:
    for data in ({"a": object()}, {("tuple", "key"): 1}):
        with pytest.raises(TypeError):
            through_text(Holder(data))
        with pytest.raises(TypeError):
            grafanalib_json(Holder(data))
