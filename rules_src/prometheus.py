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

from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, Series, counter, gauge, raw, step

_TEAM = {"team": "observability"}

# Test fixtures: Prometheus prometheus-0 scraping four node_exporter targets and sending to one Alertmanager.
_PROMETHEUS = 'job="prometheus", instance="prometheus-0:9090"'
_PROMETHEUS_LABELS = {"job": "prometheus", "instance": "prometheus-0:9090"}
_ALERTMANAGER = "http://10.0.5.12:9093/api/v2/alerts"
_RULE_GROUP = "/etc/prometheus/rules/http_api.rules.yaml;http-api"
_OTHER_GROUP = "/etc/prometheus/rules/postgresql.rules.yaml;postgresql-alerts"


def _targets(down: int, *, at: str, total: int = 4) -> list[Series]:
    """`up` of the node job's targets: the last `down` of them go down at `at`."""
    return [
        step(f'up{{job="node", instance="web-{index}:9100"}}', 1, 0, at=at)
        if index > total - down
        else gauge(f'up{{job="node", instance="web-{index}:9100"}}', 1)
        for index in range(1, total + 1)
    ]


def _steps(metric: str, failures: dict[str, float]) -> Series:
    """A failure counter of prometheus-0 that steps up to each value of `failures` at its time."""
    return gauge(f"{metric}{{{_PROMETHEUS}}}", 0, changes=failures)


def _notifications(errors: float, *, since: str | None = None, sent: float = 16) -> list[Series]:
    """Alerts sent to the Alertmanager at `sent`/s, `errors`/s of them failing (from `since`, if given)."""
    labels = f'{_PROMETHEUS}, alertmanager="{_ALERTMANAGER}"'
    failing = counter(
        f"prometheus_notifications_errors_total{{{labels}}}",
        0 if since else errors,
        changes={since: errors} if since else None,
    )
    return [counter(f"prometheus_notifications_sent_total{{{labels}}}", sent), failing]


prometheus_records = RuleGroup(
    "prometheus-records",
    rules=[
        Record(
            "job:up:avg",
            expr="avg by (job) (up)",
            tests=[
                RuleTest(
                    "is the share of a job's targets that are up",
                    series=[*_targets(1, at="5m"), gauge('up{job="prometheus", instance="prometheus-0:9090"}', 1)],
                    expect=[
                        Evaluates(at="10m", expr='job:up:avg{job="node"}', value=0.75, labels={"job": "node"}),
                        Evaluates(at="10m", expr='job:up:avg{job="prometheus"}', value=1, labels={"job": "prometheus"}),
                    ],
                ),
            ],
        ),
        Record(
            "instance_alertmanager:prometheus_notifications_errors:ratio_rate5m",
            expr="""
                sum by (job, instance, alertmanager) (rate(prometheus_notifications_errors_total[5m]))
                  / sum by (job, instance, alertmanager) (rate(prometheus_notifications_sent_total[5m]))
            """,
            tests=[
                RuleTest(
                    "is the failing share of the alerts sent to each Alertmanager",
                    series=_notifications(0.5),
                    expect=[
                        Evaluates(at="10m", value=0.03125, labels={**_PROMETHEUS_LABELS, "alertmanager": _ALERTMANAGER})
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires for the one target that stays down for 5 minutes",
                    series=_targets(1, at="10m"),
                    expect=[
                        Quiet(at="8m"),
                        Quiet(at="13m"),
                        Fires(at="20m", labels={"job": "node", "instance": "web-4:9100"}),
                    ],
                ),
                RuleTest(
                    "quiet when a target is down for 4 minutes while it restarts",
                    series=[
                        *_targets(0, at="10m", total=3),
                        gauge('up{job="node", instance="web-4:9100"}', 1, changes={"10m": 0, "14m": 1}),
                    ],
                    expect=[Quiet(at="13m"), Quiet(at="20m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 3 of 4 targets are down for 5 minutes",
                    series=_targets(3, at="10m"),
                    expect=[
                        Quiet(at="13m"),
                        Fires(
                            at="20m",
                            labels={"job": "node"},
                            annotations={"description": "Only 25% of the targets of node can be scraped."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when exactly half of the targets are up",
                    series=_targets(2, at="10m"),
                    expect=[
                        Evaluates(at="20m", expr='job:up:avg{job="node"}', value=0.5, labels={"job": "node"}),
                        Quiet(at="20m"),
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when every evaluation of a group fails for 15 minutes",
                    series=[
                        counter(
                            f'prometheus_rule_evaluation_failures_total{{{_PROMETHEUS}, rule_group="{_RULE_GROUP}"}}',
                            0,
                            changes={"10m": 1 / 60},
                        ),
                        counter(
                            f'prometheus_rule_evaluation_failures_total{{{_PROMETHEUS}, rule_group="{_OTHER_GROUP}"}}',
                            0,
                        ),
                    ],
                    expect=[
                        Quiet(at="8m"),
                        Quiet(at="20m"),
                        Fires(
                            at="30m",
                            labels={**_PROMETHEUS_LABELS, "rule_group": _RULE_GROUP},
                            annotations={
                                "description": f"5 rule evaluations in {_RULE_GROUP} failed on prometheus-0:9090 "
                                "in the last 5 minutes; alerts from that group may be missed."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet after one burst of 3 failures",
                    series=[
                        raw(
                            f'prometheus_rule_evaluation_failures_total{{{_PROMETHEUS}, rule_group="{_RULE_GROUP}"}}',
                            "0x9 3x40",
                        )
                    ],
                    expect=[Quiet(at="13m"), Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 3.125% of notifications fail for 15 minutes",
                    series=_notifications(0.5, since="10m"),
                    expect=[
                        Quiet(at="20m"),
                        Fires(
                            at="35m",
                            labels={**_PROMETHEUS_LABELS, "alertmanager": _ALERTMANAGER},
                            annotations={
                                "description": "3.125% of notifications from prometheus-0:9090 to "
                                f"{_ALERTMANAGER} fail."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 0.78% failing",
                    series=_notifications(0.125),
                    expect=[
                        Evaluates(
                            at="30m",
                            expr="instance_alertmanager:prometheus_notifications_errors:ratio_rate5m",
                            value=0.0078125,
                            labels={**_PROMETHEUS_LABELS, "alertmanager": _ALERTMANAGER},
                        ),
                        Quiet(at="30m"),
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when no Alertmanager is discovered for 15 minutes",
                    series=[
                        step(f"prometheus_notifications_alertmanagers_discovered{{{_PROMETHEUS}}}", 1, 0, at="10m")
                    ],
                    expect=[Quiet(at="13m"), Fires(at="30m", labels=_PROMETHEUS_LABELS)],
                ),
                RuleTest(
                    "quiet when the only Alertmanager is gone for 3 minutes while it restarts",
                    series=[
                        gauge(
                            f"prometheus_notifications_alertmanagers_discovered{{{_PROMETHEUS}}}",
                            1,
                            changes={"10m": 0, "13m": 1},
                        )
                    ],
                    expect=[Quiet(at="12m"), Quiet(at="25m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when the last reload failed 15 minutes ago and nothing fixed it",
                    series=[step(f"prometheus_config_last_reload_successful{{{_PROMETHEUS}}}", 1, 0, at="10m")],
                    expect=[Quiet(at="13m"), Fires(at="30m", labels=_PROMETHEUS_LABELS)],
                ),
                RuleTest(
                    "quiet when a bad config is fixed and reloaded within 4 minutes",
                    series=[
                        gauge(
                            f"prometheus_config_last_reload_successful{{{_PROMETHEUS}}}",
                            1,
                            changes={"10m": 0, "14m": 1},
                        )
                    ],
                    expect=[Quiet(at="13m"), Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "PrometheusTsdbCompactionsFailing",
            expr="increase(prometheus_tsdb_compactions_failed_total[3h]) > 0",
            for_="1h",
            severity="warning",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} fails to compact its TSDB",
            # increase() extrapolates to the window's ends, so at a real server's evaluation phase one failure
            # reads 1.002: a count is printed whole
            description=(
                '{{ $value | printf "%.0f" }} TSDB compactions failed on {{ $labels.instance }} in the last 3 hours; '
                "disk use and query latency will grow."
            ),
            runbook_url="https://runbooks.example.com/PrometheusTsdbCompactionsFailing",
            tests=[
                RuleTest(
                    "fires while compactions failed within the last 3 hours",
                    series=[_steps("prometheus_tsdb_compactions_failed_total", {"1h": 1, "3h": 2})],
                    interval="5m",
                    expect=[
                        Quiet(at="50m"),
                        Quiet(at="1h30m"),  # failed at 1h: pending
                        Fires(
                            at="2h30m",
                            labels=_PROMETHEUS_LABELS,
                            annotations={
                                "description": "1 TSDB compactions failed on prometheus-0:9090 in the last 3 hours; "
                                "disk use and query latency will grow."
                            },
                        ),
                        Fires(
                            at="3h30m",
                            labels=_PROMETHEUS_LABELS,
                            annotations={
                                "description": "2 TSDB compactions failed on prometheus-0:9090 in the last 3 hours; "
                                "disk use and query latency will grow."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet once the only failure is more than 3 hours old",
                    series=[_steps("prometheus_tsdb_compactions_failed_total", {"10m": 1})],
                    interval="5m",
                    expect=[Quiet(at="4h15m")],
                ),
            ],
        ),
        Alert(
            "PrometheusTsdbReloadsFailing",
            expr="increase(prometheus_tsdb_reloads_failures_total[3h]) > 0",
            for_="1h",
            severity="warning",
            labels=_TEAM,
            summary="Prometheus {{ $labels.instance }} fails to reload TSDB blocks",
            description=(  # whole, as above: 95.16 failed reloads at a 15s phase
                '{{ $value | printf "%.0f" }} TSDB block reloads failed on {{ $labels.instance }} in the last 3 hours.'
            ),
            runbook_url="https://runbooks.example.com/PrometheusTsdbReloadsFailing",
            tests=[
                RuleTest(
                    "fires when every block reload fails for an hour",
                    series=[
                        counter(f"prometheus_tsdb_reloads_failures_total{{{_PROMETHEUS}}}", 0, changes={"1h": 1 / 60})
                    ],
                    interval="5m",
                    expect=[
                        Quiet(at="1h30m"),
                        Fires(
                            at="2h30m",
                            labels=_PROMETHEUS_LABELS,
                            annotations={
                                "description": "95 TSDB block reloads failed on prometheus-0:9090 in the last 3 hours."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet while the counter holds failures from before the last 3 hours",
                    series=[gauge(f"prometheus_tsdb_reloads_failures_total{{{_PROMETHEUS}}}", 3)],
                    interval="5m",
                    expect=[Quiet(at="4h")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when every 15-second scrape of a target exceeds its limit",
                    series=[
                        counter(
                            f"prometheus_target_scrapes_exceeded_sample_limit_total{{{_PROMETHEUS}}}",
                            0,
                            changes={"10m": 1 / 15},
                        )
                    ],
                    expect=[
                        Quiet(at="20m"),
                        Fires(
                            at="30m",
                            labels=_PROMETHEUS_LABELS,
                            annotations={
                                "description": "20 scrapes on prometheus-0:9090 exceeded their sample_limit in the "
                                "last 5 minutes and were dropped whole; a target's cardinality has grown."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet after 2 minutes over the limit, until the target was fixed",
                    series=[
                        raw(f"prometheus_target_scrapes_exceeded_sample_limit_total{{{_PROMETHEUS}}}", "0x9 4 8x40")
                    ],
                    expect=[Quiet(at="13m"), Quiet(at="31m")],
                ),
            ],
        ),
    ],
)
