"""`dashboard/panel-unit-missing`: which panels need a unit and which overrides supply one."""

from __future__ import annotations

import pytest

from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "dashboard/panel-unit-missing"


def lines_for(make_project: ProjectFactory, panel: str) -> list[int]:
    module = f"""
        from grafanalib.core import BarGauge, Dashboard, GaugePanel, Stat, Table, Target, Text, TimeSeries

        board = Dashboard(
            title="Billing",
            uid="billing",
            panels=[
                {panel},
            ],
        )
    """
    return lint_example(make_project(), module).lines_of(CHECK)


@pytest.mark.parametrize(
    "panel",
    [
        'Stat(title="Open invoices", targets=[Target(expr="sum(invoices_open)")])',
        'GaugePanel(title="Disk", format="percentunit", targets=[Target(expr="x")])',
        'BarGauge(title="Queues", targets=[Target(expr="x")])',
        'Table(title="Top customers", targets=[Target(expr="topk(10, x)")])',
        'Text(title="About", content="Owned by billing")',
        'TimeSeries(title="Rate", overrides=[{"matcher": {"id": "byRegexp", "options": ".*"}, '
        '"properties": [{"id": "unit", "value": "reqps"}]}], targets=[Target(expr="x")])',
    ],
)
def test_panels_with_a_unit_or_without_need_of_one_pass(make_project: ProjectFactory, panel: str) -> None:
    assert lines_for(make_project, panel) == []


@pytest.mark.parametrize(
    "panel",
    [
        'TimeSeries(title="Rate", targets=[Target(expr="x")])',
        'TimeSeries(title="Rate", overrides=[{"matcher": {"id": "byName", "options": "errors"}, '
        '"properties": [{"id": "unit", "value": "reqps"}]}], targets=[Target(expr="x")])',
        'Stat(title="Rate", format="", targets=[Target(expr="x")])',
    ],
)
def test_panels_without_a_unit_for_every_field_are_found(make_project: ProjectFactory, panel: str) -> None:
    assert lines_for(make_project, panel) == [7]
