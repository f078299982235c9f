"""SLO generation: an `SLO` becomes Sloth-compatible recording rules and multi-window, multi-burn-rate alerts."""

from compiler.slo.alert_rules import burn_rate_alerts
from compiler.slo.groups import slo_rule_groups
from compiler.slo.metadata_rules import metadata_recording_rules
from compiler.slo.sli_rules import sli_recording_rules

__all__ = ["burn_rate_alerts", "metadata_recording_rules", "sli_recording_rules", "slo_rule_groups"]
