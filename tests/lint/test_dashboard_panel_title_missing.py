"""`dashboard/panel-title-missing`: untitled panels and rows, not text panels; pointed at as closely as it can."""

from __future__ import annotations

from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "dashboard/panel-title-missing"


def test_text_panels_and_titled_panels_in_collapsed_rows_are_fine(make_project: ProjectFactory) -> None:
    linted = lint_example(
        make_project(),
        """
        from grafanalib.core import Dashboard, RowPanel, Target, Text, TimeSeries

        board = Dashboard(
            title="Billing",
            uid="billing",
            panels=[
                Text(content="## Billing"),
                RowPanel(
                    title="Invoices",
                    collapsed=True,
                    panels=[TimeSeries(title="Invoices issued", unit="short", targets=[Target(expr="x")])],
                ),
            ],
        )
        """,
    )
    assert linted.lines_of(CHECK) == []


def test_an_untitled_panel_inside_a_collapsed_row_is_found(make_project: ProjectFactory) -> None:
    linted = lint_example(
        make_project(),
        """
        from grafanalib.core import Dashboard, RowPanel, Target, TimeSeries

        board = Dashboard(
            title="Billing",
            uid="billing",
            panels=[
                RowPanel(
                    title="Invoices",
                    collapsed=True,
                    panels=[TimeSeries(unit="short", targets=[Target(expr="sum(invoices_issued_total)")])],
                ),
            ],
        )
        """,
    )
    assert linted.lines_of(CHECK) == [10]


def test_a_query_built_in_code_falls_back_to_the_dashboard_line(make_project: ProjectFactory) -> None:
    linted = lint_example(
        make_project(),
        """
        from grafanalib.core import Dashboard, Target, TimeSeries

        METRIC = "invoices_issued_total"

        board = Dashboard(
            title="Billing",
            uid="billing",
            panels=[TimeSeries(unit="short", targets=[Target(expr=f"sum({METRIC})")])],
        )
        """,
    )
    assert linted.lines_of(CHECK) == [5]
