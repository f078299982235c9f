"""Every Thanos mixin dashboard (schemaVersion 14: rows of graph and table panels) migrates to a modern dashboard.

The migrated panels keep their titles, queries and reading order, lie on the 24-column grid without overlapping,
and each is valid against Grafana's JSON Schema (the Panel shape, and its kind's options and field config).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compiler.grafana.legacy import migrate_dashboard
from tests.grafana_schemas import EXTERNAL_DASHBOARDS, panel_errors

THANOS = sorted((EXTERNAL_DASHBOARDS / "thanos").glob("*.json"))
LEGACY_TYPES = {"graph", "singlestat", "table-old"}
MIXIN_LEFTOVERS = {"logBase"}
"""A field the Thanos mixin's jsonnet merged from its y axis into some queries; Grafana keeps unknown query fields."""


def test_the_nine_thanos_dashboards_are_there() -> None:
    assert len(THANOS) == 9


def _legacy(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _all_panels(panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Panels in order, each row panel followed by the panels it holds."""
    flat = []
    for panel in panels:
        flat.append(panel)
        flat.extend(_all_panels(panel.get("panels", [])))
    return flat


def _queries(panel: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(target.get("expr"), target.get("legendFormat")) for target in panel.get("targets", [])]


@pytest.mark.parametrize("path", THANOS, ids=[path.stem for path in THANOS])
def test_no_legacy_panel_is_left(path: Path) -> None:
    document = migrate_dashboard(_legacy(path)).document
    types = {panel["type"] for panel in _all_panels(document["panels"])}
    assert document["schemaVersion"] == 39
    assert "rows" not in document
    assert types <= {"timeseries", "table", "row"}
    assert not types & LEGACY_TYPES


@pytest.mark.parametrize("path", THANOS, ids=[path.stem for path in THANOS])
def test_titles_queries_and_order_are_kept(path: Path) -> None:
    legacy = _legacy(path)
    expected: list[tuple[str, str, list[tuple[Any, ...]]]] = []
    for row in legacy["rows"]:
        expected.append(("row", row["title"], []))
        expected.extend(("panel", panel["title"], _queries(panel)) for panel in row["panels"])
    migrated = [
        ("row" if panel["type"] == "row" else "panel", panel["title"], _queries(panel))
        for panel in _all_panels(migrate_dashboard(legacy).document["panels"])
    ]
    assert migrated == expected


@pytest.mark.parametrize("path", THANOS, ids=[path.stem for path in THANOS])
def test_every_query_has_a_distinct_ref_id(path: Path) -> None:
    for panel in _all_panels(migrate_dashboard(_legacy(path)).document["panels"]):
        ref_ids = [target["refId"] for target in panel.get("targets", [])]
        assert all(ref_ids) and len(set(ref_ids)) == len(ref_ids)
        assert all("step" not in target for target in panel.get("targets", []))


@pytest.mark.parametrize("path", THANOS, ids=[path.stem for path in THANOS])
def test_panels_lie_on_the_grid_without_overlapping(path: Path) -> None:
    panels = migrate_dashboard(_legacy(path)).document["panels"]
    taken: set[tuple[int, int]] = set()
    for panel in panels:
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["w"] >= 1 and pos["x"] + pos["w"] <= 24 and pos["h"] >= 1 and pos["y"] >= 0
        cells = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
        assert not cells & taken, f"panel {panel['title']!r} overlaps another"
        taken |= cells
    positions = [(panel["gridPos"]["y"], panel["gridPos"]["x"]) for panel in panels]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", THANOS, ids=[path.stem for path in THANOS])
def test_panels_are_valid_against_grafanas_schema(path: Path) -> None:
    for panel in _all_panels(migrate_dashboard(_legacy(path)).document["panels"]):
        targets = [
            {key: value for key, value in target.items() if key not in MIXIN_LEFTOVERS}
            for target in panel.get("targets", [])
        ]
        assert panel_errors({**panel, "targets": targets} if targets else panel) == []


def test_the_thanos_dashboards_need_few_choice_lines() -> None:
    """The mixin's habits (null as zero, saved steps) are said once per dashboard, not once per panel."""
    for path in THANOS:
        choices = migrate_dashboard(_legacy(path)).choices
        assert len(choices) == 2, choices
        assert choices[0].endswith(
            'graph → timeseries: nullPointMode "null as zero" has no counterpart; missing points are gaps, not zeros'
        )
        assert choices[1].startswith("queries: `step` dropped from ")
