"""`dashboard/rate-interval`: fixed ranges of rate and irate in dashboard queries, read from the text as written."""

from __future__ import annotations

import pytest

from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CHECK = "dashboard/rate-interval"


def findings_for(make_project: ProjectFactory, expr: str) -> list[str]:
    module = f"""
        from grafanalib.core import Dashboard, Target, Template, Templating, TimeSeries

        board = Dashboard(
            title="Billing",
            uid="billing",
            templating=Templating([Template(name="window", type="interval", query="1m,5m,1h")]),
            panels=[TimeSeries(title="Invoices", unit="short", targets=[Target(expr={expr!r})])],
        )
    """
    linted = lint_example(make_project(), module)
    return [str(f["message"]) for f in linted.findings if f["check"] == CHECK]


@pytest.mark.parametrize(
    "expr",
    [
        "sum(rate(invoices_total[$__rate_interval]))",
        "sum(rate(invoices_total[${__rate_interval}]))",
        "sum(rate(invoices_total[$window]))",
        "sum(increase(invoices_total[1h]))",
        "max_over_time(invoices_open[5m])",
        "max_over_time(rate(invoices_total[$__rate_interval])[1h:])",
        'sum(rate(invoices_total{code=~"[45].."}[$__rate_interval])) / sum(rate(invoices_total[$__rate_interval]))',
    ],
)
def test_ranges_grafana_chooses_or_that_mean_something_pass(make_project: ProjectFactory, expr: str) -> None:
    assert findings_for(make_project, expr) == []


@pytest.mark.parametrize(
    ("expr", "fixed"),
    [
        ("sum(rate(invoices_total[5m]))", "rate() over a fixed [5m]"),
        ('sum(rate(invoices_total{code=~"[45].."}[2m] offset 1h))', "rate() over a fixed [2m]"),
        ("rate(invoices_total[$__rate_interval]) / rate(payments_total[5m])", "rate() over a fixed [5m]"),
        ("max_over_time(irate(invoices_total[1m])[1h:$__interval])", "irate() over a fixed [1m]"),
        ("avg_over_time(invoices_open[$window]) * sum(rate((invoices_total[10m])))", "rate() over a fixed [10m]"),
    ],
)
def test_fixed_ranges_are_found(make_project: ProjectFactory, expr: str, fixed: str) -> None:
    assert [message.split(": ", 1)[1].split(":")[0] for message in findings_for(make_project, expr)] == [fixed]


def test_recording_rules_may_use_fixed_ranges(make_project: ProjectFactory) -> None:
    module = """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("billing", [Record("job:invoices:rate5m", expr="sum by (job) (rate(invoices_total[5m]))")])
    """
    assert lint_example(make_project(), module).lines_of(CHECK) == []
