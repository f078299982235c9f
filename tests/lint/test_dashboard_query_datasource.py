"""`dashboard/query-datasource`: variables of any spelling pass; fixed uids and missing uids of Prometheus do not."""

from __future__ import annotations

import pytest

from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "dashboard/query-datasource"


def lines_for(make_project: ProjectFactory, panel_datasource: str, target_datasource: str) -> list[int]:
    module = f"""
        from grafanalib.core import Dashboard, Target, Template, Templating, TimeSeries

        board = Dashboard(
            title="Billing",
            uid="billing",
            templating=Templating([Template(name="ds", type="datasource", query="prometheus")]),
            panels=[
                TimeSeries(
                    title="Invoices",
                    unit="short",
                    dataSource={panel_datasource},
                    targets=[Target(expr="sum(invoices_open)", datasource={target_datasource})],
                ),
            ],
        )
    """
    return lint_example(make_project(), module).lines_of(CHECK)


@pytest.mark.parametrize(
    ("panel_datasource", "target_datasource"),
    [
        ("None", "None"),
        ('"$datasource"', "None"),
        ('{"type": "prometheus", "uid": "${ds}"}', '{"type": "prometheus", "uid": "$ds"}'),
        ('{"type": "datasource", "uid": "-- Mixed --"}', '{"type": "prometheus", "uid": "[[datasource]]"}'),
        ('{"type": "loki", "uid": "loki-prod"}', '{"type": "loki", "uid": "loki-prod"}'),
    ],
)
def test_variables_and_other_datasource_types_pass(
    make_project: ProjectFactory, panel_datasource: str, target_datasource: str
) -> None:
    assert lines_for(make_project, panel_datasource, target_datasource) == []


@pytest.mark.parametrize(
    ("panel_datasource", "target_datasource"),
    [
        ('"Prometheus"', "None"),
        ('"$datasource"', '{"type": "prometheus", "uid": "prometheus"}'),
        ('{"type": "prometheus", "uid": "prom-eu-1"}', '{"type": "prometheus", "uid": "${datasource}"}'),
        ('{"type": "datasource", "uid": "-- Mixed --"}', '{"uid": ""}'),
    ],
)
def test_fixed_or_missing_uids_are_found(
    make_project: ProjectFactory, panel_datasource: str, target_datasource: str
) -> None:
    assert lines_for(make_project, panel_datasource, target_datasource) == [9]
