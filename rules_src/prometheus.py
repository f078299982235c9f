"""Prometheus self-monitoring: scrape targets, rule evaluation, alert delivery, TSDB and configuration.

Metrics:
- `up{job, instance}`: 1 when the last scrape of a target succeeded
- `prometheus_rule_evaluation_failures_total{rule_group}` counter
- `prometheus_notifications_sent_total{alertmanager}`, `prometheus_notifications_errors_total{alertmanager}`
  counters, `prometheus_notifications_alertmanagers_discovered` gauge
- `prometheus_tsdb_compactions_failed_total`, `prometheus_tsdb_reloads_failures_total` counters
- `prometheus_config_last_reload_successful` gauge
- `prometheus_target_scrapes_exceeded_sample_limit_total` counter
"""

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "observability"}

prometheus_records = RuleGroup(
    "prometheus-records",
    rules=[
        Record("job:up:avg", expr="avg by (job) (up)"),
        Record(
            "instance_alertmanager:prometheus_notifications_errors:ratio_rate5m",
            expr="""
                sum by (job, instance, alertmanager) (rate(prometheus_notifications_errors_total[5m]))
                  / sum by (job, instance, alertmanager) (rate(prometheus_notifications_sent_total[5m]))
            """,
        ),
    ],
)

prometheus_alerts = RuleGroup(
    "prometheus-alerts",
    rules=[
        Alert(
            "TargetDown",
            expr="up == 0",
            for_="5m",
            severity="warning",
            labels=_TEAM,
            summary="Target {{ $labels.instance }} of job {{ $labels.job }} is down",
            description="Prometheus has failed to scrape {{ $labels.instance }} ({{ $labels.job }}) for 5 minutes.",
            runbook_url="https://runbooks.example.com/TargetDown",
        ),
        Alert(
            "JobMostlyDown",
            expr="job:up:avg < 0.5",
            for_="5m",
            severity="critical",
            labels=_TEAM,
            summary="Most targets of job {{ $labels.job }} are down",
            description="Only {{ $value | humanizePercentage }} of the targets of {{ $labels.job }} can be scraped.",
            runbook_url="https://runbooks.example.com/JobMostlyDown",
        ),
        Alert(
            "PrometheusRuleEvaluationFailures",
            expr="increase(prometheus_rule_evaluation_failures_total[5m]) > 0",
            for_="15m",
            severity="critical",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} fails to evaluate rules in {{ $labels.rule_group }}",
            description=(
                "{{ $value | humanize }} rule evaluations in {{ $labels.rule_group }} failed on "
                "{{ $labels.instance }} in the last 5 minutes; alerts from that group may be missed."
            ),
            runbook_url="https://runbooks.example.com/PrometheusRuleEvaluationFailures",
        ),
        Alert(
            "PrometheusNotificationsFailing",
            expr="instance_alertmanager:prometheus_notifications_errors:ratio_rate5m > 0.01",
            for_="15m",
            severity="critical",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} fails to send alerts to {{ $labels.alertmanager }}",
            description=(
                "{{ $value | humanizePercentage }} of notifications from {{ $labels.instance }} to "
                "{{ $labels.alertmanager }} fail."
            ),
            runbook_url="https://runbooks.example.com/PrometheusNotificationsFailing",
        ),
        Alert(
            "PrometheusNotConnectedToAlertmanagers",
            expr="max_over_time(prometheus_notifications_alertmanagers_discovered[5m]) < 1",
            for_="10m",
            severity="critical",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} has no Alertmanager to send alerts to",
            description="{{ $labels.instance }} has discovered no Alertmanager; firing alerts reach nobody.",
            runbook_url="https://runbooks.example.com/PrometheusNotConnectedToAlertmanagers",
        ),
        Alert(
            "PrometheusConfigReloadFailed",
            expr="max_over_time(prometheus_config_last_reload_successful[5m]) == 0",
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} failed to reload its configuration",
            description=(
                "The last configuration reload on {{ $labels.instance }} failed; it still runs the previous "
                "configuration and will not start with the current one."
            ),
            runbook_url="https://runbooks.example.com/PrometheusConfigReloadFailed",
        ),
        Alert(
            "PrometheusTsdbCompactionsFailing",
            expr="increase(prometheus_tsdb_compactions_failed_total[3h]) > 0",
            for_="1h",
            severity="warning",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} fails to compact its TSDB",
            description=(
                "{{ $value | humanize }} TSDB compactions failed on {{ $labels.instance }} in the last 3 hours; "
                "disk use and query latency will grow."
            ),
            runbook_url="https://runbooks.example.com/PrometheusTsdbCompactionsFailing",
        ),
        Alert(
            "PrometheusTsdbReloadsFailing",
            expr="increase(prometheus_tsdb_reloads_failures_total[3h]) > 0",
            for_="1h",
            severity="warning",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} fails to reload TSDB blocks",
            description=(
                "{{ $value | humanize }} TSDB block reloads failed on {{ $labels.instance }} in the last 3 hours."
            ),
            runbook_url="https://runbooks.example.com/PrometheusTsdbReloadsFailing",
        ),
        Alert(
            "PrometheusScrapeSampleLimitHit",
            expr="increase(prometheus_target_scrapes_exceeded_sample_limit_total[5m]) > 0",
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} drops scrapes over the sample limit",
            description=(
                "{{ $value | humanize }} scrapes on {{ $labels.instance }} exceeded their sample_limit in the "
                "last 5 minutes and were dropped whole; a target's cardinality has grown."
            ),
            runbook_url="https://runbooks.example.com/PrometheusScrapeSampleLimitHit",
        ),
    ],
)
