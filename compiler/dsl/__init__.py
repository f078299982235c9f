"""The public DSL: what modules in `rules_src/` and `dashboards_src/` import."""

from compiler.dsl.alertmanager.config import Alertmanager, Global, Template
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.receivers import Email, MsTeams, Opsgenie, PagerDuty, Receiver, Slack, Webhook
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.alertmanager.routing_tests import InhibitTest, RouteTest
from compiler.dsl.alertmanager.secrets import Secret
from compiler.dsl.alertmanager.time_intervals import Period, TimeInterval
from compiler.dsl.metrics import Metric
from compiler.dsl.rule_tests import Evaluates, Fires, Quiet, RuleTest, raw
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.series import Series, counter, gauge, histogram, native_histogram, step
from compiler.dsl.sli import NativeLatencySLI
from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier, Window

__all__ = [
    "SLO",
    "Alert",
    "Alerting",
    "Alertmanager",
    "Email",
    "ErrorRatioSLI",
    "Evaluates",
    "Fires",
    "Global",
    "InhibitRule",
    "InhibitTest",
    "LatencySLI",
    "Metric",
    "MsTeams",
    "NativeLatencySLI",
    "Opsgenie",
    "PagerDuty",
    "Period",
    "Quiet",
    "RatioSLI",
    "Receiver",
    "Record",
    "Route",
    "RouteTest",
    "RuleGroup",
    "RuleTest",
    "Secret",
    "Series",
    "Slack",
    "Template",
    "Tier",
    "TimeInterval",
    "Webhook",
    "Window",
    "counter",
    "gauge",
    "histogram",
    "native_histogram",
    "raw",
    "step",
]
