"""Every panel kind moncc models, found from the modules of this package: adding a kind is adding a module.

A kind module defines its options and custom field config, its `Panel` subclass, and `KIND = PanelKind(...)`.
A panel of any other type (a plugin's) is an `OpenPanel`: kept as given, never refused.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union

from pydantic import Discriminator, Tag

from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import OpenPanel, Panel, RowPanel

_ROW = "row"
_OPEN = "<open panel>"


def _discovered_kinds() -> dict[str, PanelKind]:
    kinds: dict[str, PanelKind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        kind = getattr(importlib.import_module(f"{__name__}.{info.name}"), "KIND", None)
        if isinstance(kind, PanelKind):
            if kind.type in kinds:
                raise RuntimeError(f"panel type {kind.type!r} is defined twice ({info.name})")
            kinds[kind.type] = kind
    return kinds


PANEL_KINDS: Mapping[str, PanelKind] = MappingProxyType(_discovered_kinds())
"""Every panel kind, by its `type`."""


def panel_kind(type: str) -> PanelKind | None:
    """The kind of a panel type, or None for a type no module models (a plugin's, or an AngularJS one)."""
    return PANEL_KINDS.get(type)


def angular_successor(type: str) -> PanelKind | None:
    """The kind Grafana migrates an AngularJS panel type into (`graph` → timeseries), or None."""
    return next((kind for kind in PANEL_KINDS.values() if type in kind.angular_predecessors), None)


def panel_tag(panel: Any) -> str:
    """Which model validates a panel: its kind's, the row's, or the open panel's."""
    type_ = panel.get("type") if isinstance(panel, dict) else getattr(panel, "type", None)
    if type_ == _ROW:
        return _tag(_ROW)
    if type_ in PANEL_KINDS and type(panel) is not OpenPanel:
        return _tag(str(type_))
    return _OPEN


def _tag(type_: str) -> str:
    """A union tag no JSON key can be, so a problem's path through the input skips it (`parse.py`)."""
    return f"<{type_}>"


def _union(*, with_row: bool) -> Any:
    members: list[Any] = [Annotated[kind.panel, Tag(_tag(type_))] for type_, kind in PANEL_KINDS.items()]
    members.append(Annotated[OpenPanel, Tag(_OPEN)])
    if with_row:
        members.append(Annotated[RowPanel, Tag(_tag(_ROW))])
    return Annotated[Union[tuple(members)], Discriminator(panel_tag)]  # noqa: UP007


if TYPE_CHECKING:
    KindPanel: TypeAlias = Panel
    DashboardPanel: TypeAlias = Panel | RowPanel
else:
    KindPanel = _union(with_row=False)
    """A panel inside a row: any kind's, or an open one."""
    DashboardPanel = _union(with_row=True)
    """A panel of the dashboard's `panels`: also a row."""
    RowPanel.model_rebuild(_types_namespace={"KindPanel": KindPanel})

__all__ = [
    "PANEL_KINDS",
    "DashboardPanel",
    "KindPanel",
    "OpenPanel",
    "Panel",
    "PanelKind",
    "RowPanel",
    "angular_successor",
    "panel_kind",
]
