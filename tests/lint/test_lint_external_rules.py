"""Lint over real-world rules: kube-prometheus, Thanos and awesome-prometheus-alerts, imported as DSL modules.

The findings must be real problems of those sources; this pins a few that were checked by hand, and that
rules reviewed upstream raise no error a careful reader would dispute (no duplicate series, for instance).
"""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import REPO_ROOT, ProjectFactory

EXTERNAL = REPO_ROOT.parent / "shared" / "reference" / "external-rules"


def test_lint_over_every_external_rule_file(make_project: ProjectFactory) -> None:
    project = make_project()
    files = [
        *sorted((EXTERNAL / "kube-prometheus" / "manifests").glob("*.yaml")),
        *sorted((EXTERNAL / "awesome-prometheus-alerts" / "dist" / "rules").glob("*/*.yml")),
        EXTERNAL / "thanos" / "alerts.yaml",
        EXTERNAL / "thanos" / "rules.yaml",
    ]
    imported = project.run("import", "rules", *map(str, files))
    assert imported.exit_code == 0, imported.stderr

    result = project.run("lint", "--format", "json")
    assert result.crash is None and result.exit_code == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    found = {(f["path"].removeprefix("rules_src/"), f["check"], f["message"].split(":")[0]) for f in findings}
    assert {
        ("kube_prometheus_prometheus_rule.py", "alert/always-fires", "alert Watchdog"),
        ("kube_prometheus_prometheus_rule.py", "alert/severity", "alert InfoInhibitor"),
        ("alertmanager_prometheus_rule.py", "promql/match-everything", "alert AlertmanagerClusterFailedToSendAlerts"),
        ("alerts.py", "promql/histogram-quantile-le", "alert ThanosBucketReplicateRunLatency"),
        ("systemd_exporter.py", "promql/deriv-on-counter", "alert SystemdSocketRefusedConnections"),
    } <= found
    counts = Counter(f["check"] for f in findings)
    assert counts["record/duplicate-series"] == 0
    assert counts["promql/rate-of-sum"] == 0
    assert all(f["line"] > 1 for f in findings), "every finding points into its rule, not at the module's top"
