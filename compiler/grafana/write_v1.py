"""The one writer of Grafana's classic (v1) dashboard JSON: what was set, and what the schema requires.

Each object writes the fields its author or its imported JSON set, plus its class's `WRITTEN` fields (with
Grafana's defaults), never a null unless the schema requires it (a threshold's first step). Panels and rows
left without an `id` are numbered after the highest id given, in layout order: Grafana requires one.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.dashboard import Dashboard


def v1_document(dashboard: Dashboard) -> dict[str, Any]:
    """The dashboard as plain JSON data (moncc's emitter sorts the keys and writes the text)."""
    document: dict[str, Any] = dashboard.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)
    _number_panels(document.get("panels", []))
    return document


def _number_panels(panels: list[dict[str, Any]]) -> None:
    every = [p for panel in panels for p in (panel, *panel.get("panels", ()))]
    next_id = max((p["id"] for p in every if "id" in p), default=0) + 1
    for panel in every:
        if "id" not in panel:
            panel["id"] = next_id
            next_id += 1
