"""The collector finds every DSL kind a module keeps, wherever in lists, tuples and dicts it is held."""

from __future__ import annotations

from types import ModuleType

from compiler.dsl import Alert, Metric, RuleGroup
from compiler.load.collector import kept_objects


def _module(**values: object) -> ModuleType:
    module = ModuleType("example")
    vars(module).update(values)
    return module


def test_every_kind_is_collected_in_order_each_once() -> None:
    down = Alert("Down", expr="up == 0")
    first = RuleGroup("first", rules=[down])
    second = RuleGroup("second", rules=[Alert("Other", expr="up == 0")])
    metric = Metric("http_requests_total", type="counter")
    module = _module(first=first, nested={"teams": [(second, first)]}, metric=metric, again=[first])
    kept = kept_objects(module)
    assert kept.of(RuleGroup) == [first, second]
    assert kept.of(Metric) == [metric]
    assert kept.of(Alert) == []  # rules inside a group are the group's, not the module's


def test_private_names_and_other_containers_are_not_looked_into() -> None:
    hidden = RuleGroup("hidden", rules=[Alert("Down", expr="up == 0")])
    module = _module(_private=[hidden], frozen=frozenset({"x"}), text="RuleGroup")
    assert kept_objects(module).of(RuleGroup) == []


def test_a_container_holding_itself_ends() -> None:
    loop: list[object] = []
    loop.append(loop)
    group = RuleGroup("g", rules=[Alert("Down", expr="up == 0")])
    loop.append(group)
    assert kept_objects(_module(loop=loop)).of(RuleGroup) == [group]


def test_objects_written_in_a_file_can_be_asked_for() -> None:
    group = RuleGroup("g", rules=[Alert("Down", expr="up == 0")])
    kept = kept_objects(_module(group=group))
    assert kept.of(RuleGroup, written_in=group.location.path) == [group]
    assert kept.of(RuleGroup, written_in=group.location.path.parent) == []
