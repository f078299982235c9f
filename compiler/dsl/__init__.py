"""The public DSL: what modules in `rules_src/` and `dashboards_src/` import."""

from compiler.dsl.rule_tests import Evaluates, Fires, Quiet, RuleTest, raw
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.series import Series, counter, gauge, histogram, step

__all__ = [
    "Alert",
    "Evaluates",
    "Fires",
    "Quiet",
    "Record",
    "RuleGroup",
    "RuleTest",
    "Series",
    "counter",
    "gauge",
    "histogram",
    "raw",
    "step",
]
