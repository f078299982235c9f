"""The `dashboard/query-datasource` check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compiler.lint.check import PanelCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedPanel
from compiler.promql.grafana_variables import VARIABLE

_PROMETHEUS = "prometheus"


class QueryDatasource(PanelCheck):
    """A Prometheus query whose datasource is fixed to one uid, or names no uid, has no datasource it can rely on.

    moncc gives every panel and query that names no datasource the dashboard's datasource variable
    (`${datasource}`, `[tool.moncc.grafana] datasource_variable`), so a viewer picks the Prometheus and the
    same dashboard works in every Grafana it is provisioned to. What is left to go wrong is a datasource the
    author wrote: a fixed uid (`dataSource="P1809F7CD0C75ACF3"`, or a name grafanalib takes as one) exists in
    one Grafana only, and on every other the panel shows "datasource not found"; a reference without a uid
    (`{"type": "prometheus"}`) names no datasource at all. Leave the datasource out, or use a variable
    (`${datasource}`, as `compiler.dsl.dashboards.DATASOURCE`).

    Both the panel's datasource (which Grafana queries for a panel that does not mix datasources) and each
    query's are checked, in panels with Prometheus queries; other datasource types are left alone.
    """

    name = "dashboard/query-datasource"
    severity = Severity.ERROR
    bad = """
        from grafanalib.core import Dashboard, Target, TimeSeries

        from compiler.dsl.dashboards import DATASOURCE

        inventory = Dashboard(
            title="Inventory service",
            uid="inventory",
            panels=[
                TimeSeries(
                    title="Stock updates",  # bad: the panel and its query read one Grafana's datasource
                    dataSource="P1809F7CD0C75ACF3",
                    unit="ops",
                    targets=[Target(expr="sum(rate(inventory_stock_updates_total[$__rate_interval]))")],
                ),
                TimeSeries(
                    title="Reservations",  # bad: query A names no datasource uid
                    dataSource=DATASOURCE,
                    unit="ops",
                    targets=[
                        Target(
                            expr="sum(rate(inventory_reservations_total[$__rate_interval]))",
                            datasource={"type": "prometheus"},
                        ),
                    ],
                ),
            ],
        )
    """
    good = """
        from grafanalib.core import Dashboard, Target, TimeSeries

        from compiler.dsl.dashboards import DATASOURCE

        inventory = Dashboard(
            title="Inventory service",
            uid="inventory",
            panels=[
                TimeSeries(
                    title="Stock updates",
                    unit="ops",
                    targets=[Target(expr="sum(rate(inventory_stock_updates_total[$__rate_interval]))")],
                ),
                TimeSeries(
                    title="Reservations",
                    dataSource=DATASOURCE,
                    unit="ops",
                    targets=[Target(expr="sum(rate(inventory_reservations_total[$__rate_interval]))")],
                ),
            ],
        )
    """

    def check(self, panel: LintedPanel, context: LintContext) -> Iterator[Report]:
        targets = [target for target in panel.panel.get("targets") or [] if isinstance(target, Mapping)]
        queries = [target for target in targets if _prometheus(target.get("datasource"))]
        if not queries:
            return
        users: dict[str, list[str]] = {}
        if _prometheus(panel.panel.get("datasource")):
            problem = _problem(panel.panel["datasource"])
            if problem:
                users.setdefault(problem, []).append("the panel")
        for target in queries:
            problem = _problem(target["datasource"])
            if problem:
                users.setdefault(problem, []).append(f"query {target.get('refId')}")
        for problem, subjects in users.items():
            yield Report(f"{' and '.join(subjects)}: {problem}", panel.location)


def _prometheus(datasource: Any) -> bool:
    return isinstance(datasource, Mapping) and datasource.get("type", _PROMETHEUS) == _PROMETHEUS


def _problem(datasource: Mapping[str, Any]) -> str | None:
    uid = str(datasource.get("uid") or "")
    if not uid:
        return "the datasource names no uid; leave it out to use the dashboard's datasource variable"
    if not VARIABLE.fullmatch(uid):
        return (
            f"datasource uid {uid!r} exists in one Grafana only; "
            "leave the datasource out or use a variable such as '${datasource}'"
        )
    return None
