"""The `promql/metric-undeclared` check."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.grafana_variables import VARIABLE_STAND_IN
from compiler.promql.selectors import metric_name


class MetricUndeclared(QueryCheck):
    """A query reads a metric that no `Metric` declares, in a repository that declares its metrics.

    Once a repository keeps a catalogue of its metrics (`Metric("http_requests_total", type="counter",
    labels=[...])` in `rules_src/`), lint checks every query against it: counters against gauges, labels
    against typos. A metric missing from the catalogue escapes those checks, and is often a typo itself.
    Declare it, with its type and labels.

    Silent in a repository that declares no metric at all. Recording rules (names with `:`) are not raw
    metrics, and the series Prometheus writes itself are exempt: `up`, `ALERTS`, `ALERTS_FOR_STATE` and the
    `scrape_*` series. A declared histogram's base name is its native form, and counts as declared.
    """

    name = "promql/metric-undeclared"
    severity = Severity.INFO
    bad = """
        from compiler.dsl import Alert, Metric, RuleGroup

        queue_depth = Metric("queue_messages_ready", type="gauge", labels=["queue"])

        group = RuleGroup("queue", [
            Alert(
                "QueueConsumersGone",
                expr="queue_messages_ready > 1000 and queue_consumers == 0",  # bad: queue_consumers is undeclared
                for_="15m",
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, Metric, RuleGroup

        queue_depth = Metric("queue_messages_ready", type="gauge", labels=["queue"])
        consumers = Metric("queue_consumers", type="gauge", labels=["queue"])

        group = RuleGroup("queue", [
            Alert(
                "QueueConsumersGone",
                expr="queue_messages_ready > 1000 and queue_consumers == 0 and on (job) up == 1",
                for_="15m",
                severity="warning",
            ),
            Alert("QueueScrapesSlow", expr="scrape_duration_seconds{job='queue'} > 10", for_="15m",
                  severity="warning"),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        catalogue = context.catalogue
        if not catalogue:
            return
        reported: set[str] = set()
        for selector in query.selectors:
            name = metric_name(selector)
            if (
                name is None
                or name in reported
                or (query.in_dashboard and name.startswith(VARIABLE_STAND_IN))
                or catalogue.declares(name)
            ):
                continue
            reported.add(name)
            yield Report(
                f"{name} is read but no Metric declares it: declare it with its type and labels",
                query.at(name),
            )
