"""Legacy rows laid out on the 24-column grid as Grafana's DashboardMigrator lays them out."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.grafana.legacy import migrate_dashboard
from compiler.grafana.legacy.rows import grid_height


def text(panel_id: int, span: float, **fields: Any) -> dict[str, Any]:
    return {"id": panel_id, "type": "text", "title": f"t{panel_id}", "span": span, "content": "", **fields}


def layout(*rows: dict[str, Any]) -> list[tuple[str, dict[str, int]]]:
    panels = migrate_dashboard({"schemaVersion": 14, "rows": list(rows)}).document["panels"]
    return [(panel["title"], panel["gridPos"]) for panel in panels]


@pytest.mark.parametrize(
    ("height", "units"),
    [("250px", 7), (250, 7), ("300px", 8), ("380", 10), (381, 11), ("50px", 3), (None, 7)],
)
def test_a_row_height_in_pixels_is_a_whole_number_of_38_pixel_grid_units(height: Any, units: int) -> None:
    assert grid_height(height) == units


def test_panels_fill_a_row_left_to_right_and_wrap_below() -> None:
    row = {"height": "300px", "showTitle": False, "panels": [text(1, 6), text(2, 4), text(3, 4), text(4, 12)]}
    assert layout(row) == [
        ("t1", {"h": 8, "w": 12, "x": 0, "y": 0}),
        ("t2", {"h": 8, "w": 8, "x": 12, "y": 0}),
        ("t3", {"h": 8, "w": 8, "x": 0, "y": 8}),
        ("t4", {"h": 8, "w": 24, "x": 0, "y": 16}),
    ]


def test_untitled_rows_only_group_their_panels() -> None:
    first = {"height": "250px", "showTitle": False, "title": "A", "panels": [text(1, 12)]}
    second = {"height": "100px", "showTitle": False, "title": "B", "panels": [text(2, 3)]}
    assert layout(first, second) == [
        ("t1", {"h": 7, "w": 24, "x": 0, "y": 0}),
        ("t2", {"h": 3, "w": 6, "x": 0, "y": 7}),
    ]


def test_titled_collapsed_and_repeated_rows_become_row_panels() -> None:
    titled = {"height": "250px", "showTitle": True, "title": "Reads", "panels": [text(1, 12)]}
    collapsed = {"height": "250px", "collapse": True, "showTitle": True, "title": "Writes", "panels": [text(2, 6)]}
    repeated = {"height": "250px", "showTitle": True, "title": "$job", "repeat": "job", "panels": [text(3, 6)]}
    copy = {**repeated, "repeatIteration": 1234, "panels": [text(4, 6)]}
    panels = migrate_dashboard({"schemaVersion": 14, "rows": [titled, collapsed, repeated, copy]}).document["panels"]
    assert [(panel["type"], panel["title"], panel["gridPos"]) for panel in panels] == [
        ("row", "Reads", {"h": 1, "w": 24, "x": 0, "y": 0}),
        ("text", "t1", {"h": 7, "w": 24, "x": 0, "y": 1}),
        ("row", "Writes", {"h": 1, "w": 24, "x": 0, "y": 8}),
        ("row", "$job", {"h": 1, "w": 24, "x": 0, "y": 9}),
        ("text", "t3", {"h": 7, "w": 12, "x": 0, "y": 10}),
    ]
    writes = panels[2]
    assert (writes["collapsed"], [panel["title"] for panel in writes["panels"]]) == (True, ["t2"])
    assert writes["panels"][0]["gridPos"] == {"h": 7, "w": 12, "x": 0, "y": 9}
    assert panels[3]["repeat"] == "job"
    assert {panel["id"] for panel in panels if panel["type"] == "row"} == {5, 6, 7}


def test_a_panel_height_overrides_its_rows_and_min_span_becomes_max_per_row() -> None:
    row = {"height": "250px", "panels": [text(1, 4, height="500px", minSpan=4), text(2, 4)]}
    panels = migrate_dashboard({"schemaVersion": 14, "rows": [row]}).document["panels"]
    assert [panel["gridPos"] for panel in panels] == [
        {"h": 14, "w": 8, "x": 0, "y": 0},
        {"h": 7, "w": 8, "x": 8, "y": 0},
    ]
    assert panels[0]["maxPerRow"] == 3
    assert "minSpan" not in panels[0] and "span" not in panels[0] and "height" not in panels[0]
