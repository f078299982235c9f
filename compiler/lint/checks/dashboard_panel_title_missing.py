"""The `dashboard/panel-title-missing` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.lint.check import PanelCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedPanel


class PanelTitleMissing(PanelCheck):
    """A panel or row without a title leaves viewers guessing what it shows.

    The title is what a reader scans a dashboard by, what a shared link, a panel menu and a screenshot in an
    incident channel name, and all that tells two similar graphs apart. A row's title is what a reader clicks
    to open or collapse it, and what names the group of panels it holds. Give every panel a title that says
    what it shows (`Request rate by route`, `p99 latency`), and every row one that names the group.

    Text panels are exempt: their content is what they show, and an untitled text panel is the usual way to
    put a note or a heading on a dashboard. An untitled panel is reported at the line of its first query when
    the source holds it as written, else at the dashboard's line.
    """

    name = "dashboard/panel-title-missing"
    severity = Severity.WARNING
    bad = """
        from grafanalib.core import Dashboard, RowPanel, Target, TimeSeries

        checkout = Dashboard(  # bad: the row has no title
            title="Checkout",
            uid="checkout",
            panels=[
                RowPanel(panels=[]),
                TimeSeries(
                    unit="reqps",
                    targets=[Target(expr="sum(rate(checkout_requests_total[$__rate_interval]))")],  # bad: untitled
                ),
            ],
        )
    """
    good = """
        from grafanalib.core import Dashboard, RowPanel, Target, Text, TimeSeries

        checkout = Dashboard(
            title="Checkout",
            uid="checkout",
            panels=[
                Text(content="Owned by the payments team; runbook: https://runbooks.example.com/checkout"),
                RowPanel(title="Traffic", panels=[]),
                TimeSeries(
                    title="Request rate",
                    unit="reqps",
                    targets=[Target(expr="sum(rate(checkout_requests_total[$__rate_interval]))")],
                ),
            ],
        )
    """

    def check(self, panel: LintedPanel, context: LintContext) -> Iterator[Report]:
        kind = str(panel.panel.get("type") or "panel")
        if panel.title or kind == "text":
            return
        if kind == "row":
            yield Report("row has no title: name the group of panels it holds", panel.location)
            return
        targets = panel.panel.get("targets") or []
        exprs = [str(target["expr"]) for target in targets if isinstance(target, dict) and target.get("expr")]
        shows = f" (query {exprs[0]!r})" if exprs else ""
        yield Report(
            f"{kind} panel{shows} has no title: say what it shows",
            panel.at(exprs[0]) if exprs else panel.location,
        )
