"""moncc's inhibition against a real Alertmanager's: the same alerts firing, the same ones muted.

amtool cannot test inhibition, so moncc evaluates `InhibitTest`s and its routing checks itself
(compiler/dsl/alertmanager/inhibition.py). Here Alertmanager 0.25 is given the same alerts and asked, through
its API, which it inhibits: for every `InhibitTest` of the repository, for every alert of the repository
firing at once, and for rules built to hit the corners (a label missing on both sides, an alert matching
both sides, regular expressions and negative matchers).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.dsl.alertmanager.inhibition import InhibitRule, inhibited_by
from compiler.dsl.alertmanager.routing_tests import InhibitTest
from tests.conftest import REPO_ROOT
from tests.live.deployment import local_deployment, write_config
from tests.live.routing import repository_routing
from tests.live.servers import Alertmanager, Webhook, alertmanager, wait_until

Labels = Mapping[str, str]
CONFIG = REPO_ROOT / "build" / "alertmanager" / "alertmanager.yaml"


@contextmanager
def _running(config: dict[str, Any], tmp_path: Path) -> Iterator[Alertmanager]:
    with Webhook() as webhook:
        deployed = local_deployment(config, webhook.url, tmp_path / "secrets")
        with alertmanager(write_config(deployed, tmp_path / "alertmanager.yaml"), tmp_path) as server:
            yield server


def _muted_by_alertmanager(server: Alertmanager, firing: Sequence[Labels]) -> set[tuple[tuple[str, str], ...]]:
    """Post every alert (firing for the next hour) and read back which Alertmanager inhibits."""
    now = datetime.now(UTC)
    server.post_alerts(
        [
            {"labels": dict(labels), "startsAt": now.isoformat(), "endsAt": (now + timedelta(hours=1)).isoformat()}
            for labels in firing
        ]
    )
    distinct = len({_key(labels) for labels in firing})

    def all_held() -> list[dict[str, Any]] | None:
        held = server.alerts()
        return held if len(held) == distinct else None

    alerts = wait_until(all_held, what=f"Alertmanager to hold the {distinct} alerts posted", timeout=10)
    return {_key(alert["labels"]) for alert in alerts if alert["status"]["inhibitedBy"]}


def _muted_by_moncc(rules: Sequence[InhibitRule], firing: Sequence[Labels]) -> set[tuple[tuple[str, str], ...]]:
    return {_key(labels) for labels in firing if inhibited_by(rules, labels, firing)}


def _key(labels: Labels) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


def test_every_inhibit_test_of_the_repository_holds_in_alertmanager(tmp_path: Path) -> None:
    routing = repository_routing()
    tests = [test for test in routing.alertmanager.tests if isinstance(test, InhibitTest)]
    assert tests, "rules_src/routing.py has no InhibitTest"
    config = yaml.safe_load(CONFIG.read_text())
    for index, test in enumerate(tests):
        with _running(config, tmp_path / str(index)) as server:
            muted = _muted_by_alertmanager(server, test.alerts())
        assert muted == {_key(labels) for labels in test.inhibited}, f"the test at {test.location}"


def test_with_every_alert_of_the_repository_firing_both_mute_the_same(tmp_path: Path) -> None:
    routing = repository_routing()
    firing = [routed.labels for routed in routing.alerts]
    with _running(yaml.safe_load(CONFIG.read_text()), tmp_path) as server:
        muted = _muted_by_alertmanager(server, firing)
    assert muted == _muted_by_moncc(routing.alertmanager.inhibit_rules, firing)
    assert muted, "the repository's twins (a critical and a warning alert of one name) mute something"


CORNER_RULES = [
    # `equal` on a label neither side has: Alertmanager reads both as empty, so they are equal.
    InhibitRule(source=['alertname="NodeDown"'], target=['alertname="DiskFull"'], equal=["cluster"]),
    # Source and target both match `tier=~"db.*"`: an alert matching both sides is muted only by one that
    # matches the source but not the target.
    InhibitRule(source=['tier=~"db.*"'], target=['tier=~"db.*"', 'severity!="critical"'], equal=["tier"]),
    # Negative and regular-expression matchers, anchored at both ends.
    InhibitRule(source=['alertname=~"Maint.*"', 'env!="prod"'], target=['alertname!~"Maint.*"'], equal=["env"]),
]
CORNER_ALERTS: list[dict[str, str]] = [
    {"alertname": "NodeDown"},
    {"alertname": "DiskFull"},
    {"alertname": "DiskFull", "cluster": "eu"},
    {"alertname": "DbSlow", "tier": "db", "severity": "critical"},
    {"alertname": "DbLag", "tier": "db", "severity": "warning"},
    {"alertname": "DbLag", "tier": "dbx", "severity": "warning"},
    {"alertname": "MaintWindow", "env": "staging"},
    {"alertname": "ApiDown", "env": "staging"},
    {"alertname": "ApiDown", "env": "prod"},
    {"alertname": "XMaintWindow", "env": "staging"},
]


@pytest.mark.parametrize("rule_index", range(len(CORNER_RULES)))
def test_corner_cases_mute_the_same(tmp_path: Path, rule_index: int) -> None:
    rules = [CORNER_RULES[rule_index]]
    config = {
        "route": {"receiver": "nowhere"},
        "receivers": [{"name": "nowhere"}],
        "inhibit_rules": [
            {
                "source_matchers": [str(matcher) for matcher in rule.source],
                "target_matchers": [str(matcher) for matcher in rule.target],
                "equal": list(rule.equal),
            }
            for rule in rules
        ],
    }
    with _running(config, tmp_path) as server:
        muted = _muted_by_alertmanager(server, CORNER_ALERTS)
    assert muted == _muted_by_moncc(rules, CORNER_ALERTS)
    assert muted, "each corner rule mutes something"
