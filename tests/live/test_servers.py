"""The harness end to end: an alert fires on scraped samples and reaches a webhook; an inhibit rule inhibits."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from tests.live.servers import (
    SCRAPE_JOB,
    MetricsEndpoint,
    Webhook,
    alertmanager,
    prometheus,
    wait_until,
)

RULES = """\
groups:
  - name: live
    rules:
      - alert: QueueBacklog
        expr: moncc_live_queue_depth > 10
        for: 0s
        labels:
          severity: page
        annotations:
          summary: "Queue {{ $labels.queue }} holds {{ $value }} jobs"
"""


def alertmanager_config(webhook_url: str) -> str:
    return textwrap.dedent(f"""\
        route:
          receiver: webhook
          group_by: [alertname]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: webhook
            webhook_configs:
              - url: "{webhook_url}"
                send_resolved: false
        """)


def test_an_alert_firing_on_scraped_samples_reaches_the_webhook(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(RULES)
    am_config = tmp_path / "alertmanager.yml"
    with Webhook() as webhook, MetricsEndpoint() as metrics:
        am_config.write_text(alertmanager_config(f"{webhook.url}/hooks/live"))
        metrics.set("moncc_live_queue_depth", 0, queue="orders")
        with (
            alertmanager(am_config, tmp_path) as am,
            prometheus([rules], tmp_path, alertmanager_url=am.url, scrape_targets=[metrics.target]) as prom,
        ):
            # The rule is loaded and evaluated on the scraped 0: it does not fire.
            wait_until(
                lambda: True if prom.query("moncc_live_queue_depth") else None,
                what="the scraped sample to be queryable",
                timeout=10,
            )
            rule = wait_until(
                lambda: _evaluated_rule(prom.rules(), "QueueBacklog"),
                what="QueueBacklog to be evaluated",
                timeout=10,
                diagnose=lambda: f"rules: {prom.rules()}",
            )
            assert rule["health"] == "ok", rule
            assert rule["state"] == "inactive", rule
            assert webhook.notifications == []

            metrics.set("moncc_live_queue_depth", 42, queue="orders")
            notification = webhook.wait_for(
                lambda n: n.has_alert("firing", alertname="QueueBacklog"),
                timeout=60,
                what="QueueBacklog firing",
            )

    assert notification.path == "/hooks/live"
    assert notification.body["receiver"] == "webhook"
    assert notification.body["status"] == "firing"
    assert notification.body["externalURL"] == am.url
    [alert] = notification.alerts
    assert alert["labels"] == {
        "alertname": "QueueBacklog",
        "queue": "orders",
        "severity": "page",
        "job": SCRAPE_JOB,
        "instance": metrics.target,
    }
    assert alert["annotations"] == {"summary": "Queue orders holds 42 jobs"}
    assert alert["generatorURL"].startswith(f"{prom.url}/graph?")


def _evaluated_rule(groups: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The rule of this name once evaluated (Prometheus reports a rule never evaluated at Go's zero time)."""
    rules: list[dict[str, Any]] = [rule for group in groups for rule in group["rules"]]
    return next((r for r in rules if r["name"] == name and not r["lastEvaluation"].startswith("0001-")), None)


INHIBITING_CONFIG = """\
route:
  receiver: blackhole
  group_by: [alertname]
  group_wait: 1s
receivers:
  - name: blackhole
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [alertname]
"""


def test_an_inhibit_rule_inhibits_the_matching_alert_only(tmp_path: Path) -> None:
    config = tmp_path / "alertmanager.yml"
    config.write_text(INHIBITING_CONFIG)
    with alertmanager(config, tmp_path) as am:
        am.post_alerts(
            [
                {"labels": {"alertname": "DiskFull", "severity": "critical"}},
                {"labels": {"alertname": "DiskFull", "severity": "warning"}},
                # Not inhibited: another alertname (`equal` differs), another severity (no target matcher).
                {"labels": {"alertname": "CertExpiry", "severity": "warning"}},
                {"labels": {"alertname": "DiskFull", "severity": "info"}},
            ]
        )

        def by_labels() -> dict[tuple[str, str], Any] | None:
            alerts = {(a["labels"]["alertname"], a["labels"]["severity"]): a["status"] for a in am.alerts()}
            inhibited = alerts.get(("DiskFull", "warning"))
            return alerts if len(alerts) == 4 and inhibited and inhibited["inhibitedBy"] else None

        statuses = wait_until(
            by_labels, what="the DiskFull warning to be inhibited", timeout=10, diagnose=lambda: f"{am.alerts()}"
        )
        [critical] = am.alerts('alertname="DiskFull"', 'severity="critical"')

    assert statuses[("DiskFull", "warning")] == {
        "state": "suppressed",
        "inhibitedBy": [critical["fingerprint"]],
        "silencedBy": [],
    }
    for key in [("DiskFull", "critical"), ("CertExpiry", "warning"), ("DiskFull", "info")]:
        assert statuses[key] == {"state": "active", "inhibitedBy": [], "silencedBy": []}, key
