"""The public DSL: what modules in `rules_src/` and `dashboards_src/` import."""

from compiler.dsl.metrics import Metric
from compiler.dsl.rule_tests import Evaluates, Fires, Quiet, RuleTest, raw
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.series import Series, counter, gauge, histogram, step
from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier

__all__ = [
    "SLO",
    "Alert",
    "Alerting",
    "ErrorRatioSLI",
    "Evaluates",
    "Fires",
    "LatencySLI",
    "Metric",
    "Quiet",
    "RatioSLI",
    "Record",
    "RuleGroup",
    "RuleTest",
    "Series",
    "Tier",
    "counter",
    "gauge",
    "histogram",
    "raw",
    "step",
]
