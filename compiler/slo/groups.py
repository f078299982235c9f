"""An SLO's three rule groups, named as Sloth names them so its dashboards and habits carry over."""

from __future__ import annotations

from compiler.dsl.rules import RuleGroup
from compiler.dsl.slo import SLO
from compiler.slo.alert_rules import burn_rate_alerts, burn_rate_tests
from compiler.slo.construct import generated_group
from compiler.slo.metadata_rules import metadata_recording_rules
from compiler.slo.sli_rules import sli_recording_rules


def slo_rule_groups(slo: SLO) -> list[RuleGroup]:
    """SLI recordings, metadata recordings, then the alerts (left out when the SLO has none)."""
    groups = [
        RuleGroup(f"sloth-slo-sli-recordings-{slo.slo_id}", sli_recording_rules(slo), location=slo.location),
        RuleGroup(f"sloth-slo-meta-recordings-{slo.slo_id}", metadata_recording_rules(slo), location=slo.location),
    ]
    alerts = burn_rate_alerts(slo)
    if alerts:
        groups.append(generated_group(slo, f"sloth-slo-alerts-{slo.slo_id}", alerts, burn_rate_tests(slo)))
    return groups
