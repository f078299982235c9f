"""End to end, with real servers: an alert of build/ fires in Prometheus on scraped samples, and Alertmanager,
running build/'s configuration, delivers it to exactly the receivers `moncc routes` predicts.

Prometheus 2.42 loads build/prometheus/postgresql.rules.yaml; `PostgresqlDown` (`pg_up == 0` for 1m) fires
once the scraped `pg_up` drops to 0. Alertmanager runs build/alertmanager/alertmanager.yaml with its endpoints
and secrets pointed at a local webhook (tests/live/deployment.py changes nothing else). The webhook must then
receive the alert through the pager receiver (PagerDuty's events API and the incident bot's webhook, after the
pager route's 10 s wait) and the chat receiver (Slack, #alerts), with the labels and annotations build/ says,
and nothing through the receivers the alert does not reach.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from compiler.dsl.alertmanager.routes import destinations
from compiler.model.routing import RoutedAlert
from tests.conftest import REPO_ROOT
from tests.live.deployment import local_deployment, write_config
from tests.live.routing import repository_routing
from tests.live.servers import SCRAPE_JOB, MetricsEndpoint, Notification, Webhook, alertmanager, prometheus

BUILD = REPO_ROOT / "build"
RULES = BUILD / "prometheus" / "postgresql.rules.yaml"
CONFIG = BUILD / "alertmanager" / "alertmanager.yaml"
ALERT = "PostgresqlDown"
DELIVERY_TIMEOUT = 150.0
"""`for: 1m`, evaluation every second, then the longest group_wait of the routes it reaches (30 s)."""


def _built_alert(name: str) -> dict[str, Any]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return next(rule for group in groups for rule in group["rules"] if rule.get("alert") == name)


def _rendered(template: str, labels: dict[str, str]) -> str:
    """The annotation as Prometheus renders it: this alert's templates read only `$labels`."""
    return re.sub(r"\{\{ *\$labels\.(\w+) *\}\}", lambda match: labels[match.group(1)], template)


def _predicted(labels: dict[str, str]) -> RoutedAlert:
    routing = repository_routing()
    shown = next(routed for routed in routing.alerts if routed.alert == ALERT)
    assert shown.labels.items() >= {"alertname": ALERT, "severity": "critical"}.items()
    return RoutedAlert(ALERT, labels, shown.location, tuple(destinations(routing.alertmanager.route, labels)))


def test_a_firing_alert_reaches_the_receivers_the_routing_table_predicts(tmp_path: Path) -> None:
    rule = _built_alert(ALERT)
    with Webhook() as webhook, MetricsEndpoint() as metrics:
        config = write_config(
            local_deployment(yaml.safe_load(CONFIG.read_text()), webhook.url, tmp_path / "secrets"),
            tmp_path / "alertmanager.yaml",
        )
        metrics.set("pg_up", 1)
        with (
            alertmanager(config, tmp_path) as am,
            prometheus([RULES], tmp_path, alertmanager_url=am.url, scrape_targets=[metrics.target]),
        ):
            labels = {"alertname": ALERT, "instance": metrics.target, "job": SCRAPE_JOB, **rule["labels"]}
            predicted = _predicted(labels)
            assert predicted.receivers == ("pager", "chat")
            metrics.set("pg_up", 0)

            incident_bot = webhook.wait_for(
                lambda note: note.path == "/pager/webhook/0" and note.has_alert(status="firing", alertname=ALERT),
                timeout=DELIVERY_TIMEOUT,
                what=f"{ALERT} at the pager receiver's webhook",
            )
            [delivered] = [alert for alert in incident_bot.alerts if alert["labels"]["alertname"] == ALERT]
            assert delivered["labels"] == labels
            assert delivered["annotations"] == {
                name: _rendered(text, labels) for name, text in rule["annotations"].items()
            }
            assert incident_bot.body["receiver"] == "pager"
            assert sorted(incident_bot.body["groupLabels"]) == ["alertname", "team"]

            pagerduty = webhook.wait_for(
                lambda note: note.path == "/pagerduty" and ALERT in str(note.body),
                timeout=30,
                what=f"{ALERT} at PagerDuty's events API",
            )
            assert pagerduty.body["routing_key"] == "token-pager/pagerduty/0/routing_key_file"
            assert pagerduty.body["event_action"] == "trigger"

            slack = webhook.wait_for(
                lambda note: note.path == "/global/slack_api_url_file" and note.body.get("channel") == "#alerts",
                timeout=60,
                what=f"{ALERT} in Slack's #alerts (the chat receiver)",
            )
            assert ALERT in str(slack.body)

    reached = {note.path for note in webhook.notifications if ALERT in str(note.body)}
    assert reached == {"/pager/webhook/0", "/pagerduty", "/global/slack_api_url_file"}
    assert not _to_channel(webhook.notifications, "#alerts-triage"), "the triage receiver is not on its route"
    assert not any(note.path.startswith("/tickets/") for note in webhook.notifications)


def _to_channel(notifications: list[Notification], channel: str) -> list[Notification]:
    return [note for note in notifications if isinstance(note.body, dict) and note.body.get("channel") == channel]
