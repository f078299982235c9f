"""The `dashboard/panel-unit-missing` check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compiler.grafana.panels import panel_kind
from compiler.lint.check import PanelCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedPanel

_ALL_FIELDS = {("byType", "number"), ("byRegexp", ".*"), ("byRegexp", "/.*/"), ("byRegexp", ".+"), ("byRegexp", "/.+/")}
"""Override matchers (`id`, `options`) that select every numeric field of a panel."""


class PanelUnitMissing(PanelCheck):
    """A chart, stat, gauge or bar gauge without a unit shows bare numbers that readers must guess the meaning of.

    Is `0.25` a quarter of a second or 250 ms, a ratio or a percentage; is `1.2K` requests per second or per
    minute? With a unit Grafana writes `250 ms`, `25%`, `1.2K req/s`, scales the axis (`1.5 GiB`, not
    `1610612736`) and compares like with like across panels. Set the panel's unit (grafanalib: `unit=` on
    TimeSeries, `format=` on Stat, GaugePanel and BarGauge), e.g. `s`, `bytes`, `reqps`, `percentunit`; for a
    plain count use `short`, or `none` to show the number as it is.

    A unit set by an override for every field (matched by type `number`, or a regex matching every name) counts.
    Panels whose kind does not show values in one unit (`has_unit` of its kind in `compiler/grafana/panels/`) are
    exempt: text, tables (a mix of columns, each of which may need its own unit or none), state timelines, maps,
    heatmaps (their unit is the y axis's). grafanalib's Stat, GaugePanel and BarGauge write `none` unless told
    otherwise, which this check cannot tell from a deliberate `none`, so in practice it finds time series and
    chart panels without `unit=`.
    """

    name = "dashboard/panel-unit-missing"
    severity = Severity.WARNING
    bad = """
        from grafanalib.core import Dashboard, Target, TimeSeries

        from compiler.dsl.dashboards import DATASOURCE

        orders = Dashboard(
            title="Orders",
            uid="orders",
            panels=[
                TimeSeries(
                    title="Order latency p99",  # bad: seconds, but no unit says so
                    dataSource=DATASOURCE,
                    targets=[
                        Target(
                            expr="histogram_quantile(0.99, sum by (le) "
                            "(rate(order_duration_seconds_bucket[$__rate_interval])))",
                        ),
                    ],
                ),
            ],
        )
    """
    good = """
        from grafanalib.core import Dashboard, Stat, Target, TimeSeries

        from compiler.dsl.dashboards import DATASOURCE

        orders = Dashboard(
            title="Orders",
            uid="orders",
            panels=[
                TimeSeries(
                    title="Order latency p99",
                    dataSource=DATASOURCE,
                    unit="s",
                    targets=[
                        Target(
                            expr="histogram_quantile(0.99, sum by (le) "
                            "(rate(order_duration_seconds_bucket[$__rate_interval])))",
                        ),
                    ],
                ),
                Stat(title="Orders in flight", dataSource=DATASOURCE, targets=[Target(expr="sum(orders_in_flight)")]),
                TimeSeries(
                    title="Order rate",
                    dataSource=DATASOURCE,
                    overrides=[
                        {
                            "matcher": {"id": "byType", "options": "number"},
                            "properties": [{"id": "unit", "value": "reqps"}],
                        },
                    ],
                    targets=[Target(expr="sum(rate(orders_total[$__rate_interval]))")],
                ),
            ],
        )
    """

    def check(self, panel: LintedPanel, context: LintContext) -> Iterator[Report]:
        kind = panel.panel.get("type")
        known = panel_kind(str(kind))
        if known is None or not known.has_unit:
            return
        config = panel.panel.get("fieldConfig") or {}
        if (config.get("defaults") or {}).get("unit") or any(
            _sets_every_unit(o) for o in config.get("overrides") or []
        ):
            return
        yield Report(
            f"{kind} panel has no unit: set one (unit= or format=), e.g. 's', 'bytes', 'reqps', 'percentunit'",
            panel.location,
        )


def _sets_every_unit(override: Mapping[str, Any]) -> bool:
    """Whether the override gives every numeric field of the panel a unit."""
    matcher = override.get("matcher") or {}
    properties = override.get("properties") or []
    return (matcher.get("id"), matcher.get("options")) in _ALL_FIELDS and any(
        prop.get("id") == "unit" and prop.get("value") for prop in properties if isinstance(prop, dict)
    )
