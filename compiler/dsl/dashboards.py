"""Dashboard building blocks teams repeat, made of plain grafanalib objects so they mix with hand-written panels.

Each helper returns grafanalib values (`RowPanel`, `TimeSeries`, `Stat`, `Template`): put them in a
`Dashboard(panels=[...])` next to your own panels, or change them with `attr.evolve`. Sizes use grafanalib's
`span` (of 12) and `height`; moncc lays the panels out on the grid.
"""

from __future__ import annotations

from typing import Any

from grafanalib.core import RowPanel, Stat, Target, Template, TimeSeries

DATASOURCE = "${datasource}"
"""The datasource reference every helper uses: the dashboard's `datasource` variable."""


def datasource_variable(name: str = "datasource", datasource_type: str = "prometheus") -> Template:
    """The variable that lets a viewer choose the Prometheus every panel queries.

    The build adds it to a dashboard that lacks it; a second one of another type (`"loki"`) lets panels of
    that datasource be chosen the same way.

    Example:
        ```python
        from grafanalib.core import Dashboard, Templating

        from compiler.dsl.dashboards import datasource_variable

        hosts = Dashboard(title="Hosts", templating=Templating([datasource_variable()]))
        logs_source = datasource_variable("logs", datasource_type="loki")
        ```
    """
    return Template(name=name, query=datasource_type, type="datasource", label="Data source", refresh=1)


def label_variable(
    name: str, metric: str, label: str | None = None, *, label_text: str | None = None, multi: bool = False
) -> Template:
    """A variable listing the values of `label` (default: `name`) on `metric`, e.g. `job` of `up{...}`.

    Example:
        ```python
        from compiler.dsl.dashboards import label_variable

        job = label_variable("job", 'up{job=~"api.*"}')
        instances = label_variable("instance", 'up{job="$job"}', multi=True)
        ```
    """
    return Template(
        name=name,
        label=label_text or name,
        query=f"label_values({metric}, {label or name})",
        dataSource=DATASOURCE,
        refresh=2,
        multi=multi,
        includeAll=multi,
    )


def _target(expr: str, legend: str = "", ref_id: str = "") -> Target:
    return Target(expr=expr, legendFormat=legend, refId=ref_id, datasource=None)


def _series(title: str, targets: list[Target], unit: str, span: int = 4, **extra: Any) -> TimeSeries:
    return TimeSeries(
        title=title, targets=targets, unit=unit, span=span, dataSource=DATASOURCE, legendDisplayMode="list", **extra
    )


def red_row(
    service: str,
    selector: str,
    *,
    requests_metric: str = "http_requests_total",
    duration_metric: str = "http_request_duration_seconds",
    error_matcher: str = 'code=~"5.."',
    by: str = "route",
) -> RowPanel:
    """Rate, Errors, Duration of an HTTP service: request rate, error ratio, latency p50/p95/p99.

    `selector` is the label matchers without braces, e.g. `job="$job"`; latency reads `<duration_metric>_bucket`.

    Example:
        ```python
        from grafanalib.core import Dashboard, Templating

        from compiler.dsl.dashboards import datasource_variable, label_variable, red_row

        api = Dashboard(
            title="HTTP API",
            uid="http-api",
            templating=Templating([datasource_variable(), label_variable("job", "up")]),
            panels=[red_row("api", 'job="$job"')],
        )
        ```
    """
    requests = f"{requests_metric}{{{selector}}}"
    errors = f"{requests_metric}{{{selector}, {error_matcher}}}"
    buckets = f"{duration_metric}_bucket{{{selector}}}"
    latency = [
        _target(
            f"histogram_quantile({quantile}, sum by (le) (rate({buckets}[$__rate_interval])))",
            f"p{round(quantile * 100)}",
        )
        for quantile in (0.5, 0.95, 0.99)
    ]
    return RowPanel(
        title=f"{service}: requests, errors, duration",
        panels=[
            _series(
                "Request rate",
                [_target(f"sum by ({by}) (rate({requests}[$__rate_interval]))", f"{{{{{by}}}}}")],
                "reqps",
            ),
            _series(
                "Error ratio",
                [_target(f"sum(rate({errors}[$__rate_interval])) / sum(rate({requests}[$__rate_interval]))", "errors")],
                "percentunit",
            ),
            _series("Latency", latency, "s"),
        ],
    )


def use_row(instance_selector: str = 'instance=~"$instance"') -> RowPanel:
    """Utilisation, Saturation, Errors of a host from node_exporter: CPU, memory, load, disk, network.

    Example:
        ```python
        from compiler.dsl.dashboards import use_row

        hosts_row = use_row('instance=~"$instance"')
        ```
    """
    node = instance_selector
    return RowPanel(
        title="Host: utilisation, saturation, errors",
        panels=[
            _series(
                "CPU utilisation",
                [
                    _target(
                        f'1 - avg by (instance) (rate(node_cpu_seconds_total{{mode="idle", {node}}}'
                        "[$__rate_interval]))",
                        "{{instance}}",
                    )
                ],
                "percentunit",
                span=3,
            ),
            _series(
                "Memory utilisation",
                [
                    _target(
                        f"1 - node_memory_MemAvailable_bytes{{{node}}} / node_memory_MemTotal_bytes{{{node}}}",
                        "{{instance}}",
                    )
                ],
                "percentunit",
                span=3,
            ),
            _series(
                "Load per CPU (saturation)",
                [
                    _target(
                        f"node_load5{{{node}}} / on (instance) "
                        f'count by (instance) (node_cpu_seconds_total{{mode="idle", {node}}})',
                        "{{instance}}",
                    )
                ],
                "short",
                span=3,
            ),
            _series(
                "Network errors",
                [
                    _target(
                        f"sum by (instance) (rate(node_network_receive_errs_total{{{node}}}[$__rate_interval])"
                        f" + rate(node_network_transmit_errs_total{{{node}}}[$__rate_interval]))",
                        "{{instance}}",
                    )
                ],
                "pps",
                span=3,
            ),
        ],
    )


def slo_error_budget_panel(service: str, slo: str, *, title: str | None = None, span: int = 3) -> Stat:
    """The share of the SLO's 30-day error budget left, from the Sloth-named recording rule moncc generates.

    Example:
        ```python
        from compiler.dsl.dashboards import slo_error_budget_panel

        budget = slo_error_budget_panel("api", "availability")
        ```
    """
    expr = f'slo:period_error_budget_remaining:ratio{{sloth_service="{service}", sloth_slo="{slo}"}}'
    return Stat(
        title=title or f"{service} {slo}: error budget left",
        targets=[_target(expr, "budget left")],
        dataSource=DATASOURCE,
        format="percentunit",
        reduceCalc="lastNotNull",
        graphMode="area",
        colorMode="background",
        noValue="no data",
        decimals=1,
        span=span,
        thresholds=[
            {"color": "red", "value": None},
            {"color": "orange", "value": 0.25},
            {"color": "green", "value": 0.5},
        ],
    )
