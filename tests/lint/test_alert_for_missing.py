"""`alert/for-missing`: a missing or too short `for_` is reported; an explicit `for_="0s"` and conditions that
are already a time span (kubernetes-mixin's job age and certificate expiry alerts) are not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compiler.dsl import Alert, RuleGroup
from compiler.lint.checks.alert_for_missing import ForMissing
from compiler.lint.subjects import LintContext, linted_rule
from compiler.load.metrics import Catalogue
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings


def messages(expr: str, for_: str | None = None) -> list[str]:
    alert = Alert("A", expr=expr, for_=for_)
    group = RuleGroup("g", [alert])
    context = LintContext(LintSettings(), Catalogue(), timedelta(minutes=1))
    return [report.message for report in ForMissing().check(linted_rule(alert, group, parse_expr(expr)), context)]


@pytest.mark.parametrize(
    "expr",
    [
        'time() - max by (job_name) (kube_job_status_start_time{job="kube-state-metrics"}) > 12 * 3600',
        "(time() - kube_job_status_start_time) > 3600",
        "probe_ssl_earliest_cert_expiry - time() < 86400 * 30",
        "x509_cert_expiry_timestamp - time() < 86400",
        "kubelet_certificate_manager_client_ttl_seconds < 604800",
        "histogram_quantile(0.01, sum by (job, le) (rate(apiserver_client_certificate_expiration_seconds_bucket[5m])))"
        " < 7 * 24 * 3600",
        "86400 > cert_expiry_timestamp_seconds - time()",
    ],
)
def test_a_condition_that_is_a_time_span_needs_no_for(expr: str) -> None:
    assert messages(expr) == []


@pytest.mark.parametrize(
    "expr",
    [
        "up == 0",
        "rate(http_requests_total[5m]) > 10",
        "timestamp(up) > 0 and up == 0",
        "node_expected_state == 0",
        "cert_manager_ready_status == 0",
    ],
)
def test_any_other_condition_without_for_is_reported(expr: str) -> None:
    assert messages(expr) == ["no for_: one bad evaluation fires it; wait a few evaluation intervals"]


def test_an_explicit_zero_for_is_the_author_s_intent() -> None:
    assert messages("rate(kubelet_evictions[15m]) > 0", for_="0s") == []


def test_a_for_shorter_than_the_evaluation_interval_is_still_reported() -> None:
    assert messages("up == 0", for_="30s") == [
        "for_ 30s is shorter than the evaluation interval 1m, so it waits for nothing"
    ]
    assert messages("up == 0", for_="1m") == []
