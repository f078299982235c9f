"""The SLO DSL: what it accepts, and the one-line error, at the author's line, for each thing it rejects."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from types import TracebackType

import pytest

from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier
from compiler.problems import DefinitionError

THIS_FILE = Path(__file__).resolve()

ERRORS = 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))'
TOTAL = 'sum(rate(http_requests_total{job="api"}[{{window}}]))'
AVAILABILITY = RatioSLI(errors=ERRORS, total=TOTAL)


class rejected:
    """Expect the block to raise a DefinitionError with exactly these messages, every one pointing at the
    block's first line: the line of this file that made the object."""

    def __init__(self, *messages: str) -> None:
        self.messages = messages
        self.with_line = 0

    def __enter__(self) -> None:
        self.with_line = sys._getframe(1).f_lineno

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        assert isinstance(error, DefinitionError), f"expected a DefinitionError, got {error!r}"
        assert [problem.message for problem in error.problems] == list(self.messages)
        made_at = _first_line_of_block(self.with_line)
        assert [(problem.location.path, problem.location.line) for problem in error.problems if problem.location] == [
            (THIS_FILE, made_at)
        ] * len(self.messages)
        return True


def _first_line_of_block(with_line: int) -> int:
    """The line after the (possibly multi-line) `with ...:` header that starts at `with_line`."""
    lines = THIS_FILE.read_text().splitlines()
    index = with_line - 1
    while not lines[index].rstrip().endswith(":"):
        index += 1
    return index + 2


# --- what it accepts ----------------------------------------------------------------------------------------------


def test_an_slo_records_where_it_was_written() -> None:
    line = sys._getframe().f_lineno + 1
    slo = SLO(service="api", name="availability", sli=AVAILABILITY)
    assert (slo.location.path, slo.location.line) == (THIS_FILE, line)
    assert slo.slo_id == "api-availability"
    assert slo.title == "slo api-availability"


def test_defaults_are_sloths() -> None:
    slo = SLO(service="api", name="availability", sli=AVAILABILITY)
    assert slo.objective == 99.9
    assert slo.period == timedelta(days=30)
    assert slo.alerting is None


def test_period_takes_a_duration_or_a_timedelta() -> None:
    assert SLO(service="a", name="b", period="4w", sli=AVAILABILITY).period == timedelta(days=28)
    assert SLO(service="a", name="b", period=timedelta(days=7), sli=AVAILABILITY).period == timedelta(days=7)


def test_queries_are_dedented_and_accept_sloths_placeholder() -> None:
    sli = ErrorRatioSLI(
        query="""
            sum(rate(errors_total[{{.window}}]))
            /
            sum(rate(requests_total[{{ window }}]))
        """
    )
    assert sli.query == "sum(rate(errors_total[{{.window}}]))\n/\nsum(rate(requests_total[{{ window }}]))"
    assert sli.error_ratio_query("1h") == "(\n  sum(rate(errors_total[1h]))\n  /\n  sum(rate(requests_total[1h]))\n)"


def test_alerting_folds_keywords_into_labels_and_annotations() -> None:
    alerting = Alerting(
        name="ApiAvailabilityBudgetBurn",
        runbook_url="https://runbooks.example.com/ApiAvailabilityBudgetBurn",
        summary="API availability budget burns",
        page=Tier(severity="critical", for_="2m"),
    )
    assert alerting.annotations == {
        "runbook_url": "https://runbooks.example.com/ApiAvailabilityBudgetBurn",
        "summary": "API availability budget burns",
    }
    assert alerting.page.labels == {"severity": "critical"}
    assert alerting.page.for_ == timedelta(minutes=2)
    assert alerting.ticket.enabled


def test_latency_threshold_may_be_a_declared_bucket() -> None:
    sli = LatencySLI(metric="http_request_duration_seconds", selector='{job="api"}', threshold=1, buckets=[0.5, 1, 2.5])
    assert sli.selector == 'job="api"'
    assert 'http_request_duration_seconds_bucket{job="api",le="1"}[5m]' in sli.error_ratio_query("5m")


# --- what it rejects ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("objective", [0, 100, -1, 100.5])
def test_objective_is_a_percentage(objective: float) -> None:
    with rejected(
        f"slo api-availability: objective: {objective!r} is not a percentage between 0 and 100 (exclusive), "
        "such as 99.9"
    ):
        SLO(service="api", name="availability", objective=objective, sli=AVAILABILITY)


def test_period_is_whole_days() -> None:
    with rejected("slo api-availability: period: 1d12h is not a whole number of days, such as '28d' or '30d'"):
        SLO(service="api", name="availability", period="36h", sli=AVAILABILITY)


def test_period_is_longer_than_the_longest_alert_window() -> None:
    with rejected(
        "slo api-availability: period: 3d is too short: an SLO period must be longer than the 3d window of the "
        "slow ticket alert"
    ):
        SLO(service="api", name="availability", period="3d", sli=AVAILABILITY)


def test_period_is_a_prometheus_duration() -> None:
    with rejected(
        "slo api-availability: period: invalid duration '30 days': expected Prometheus syntax such as '30s', "
        "'5m' or '1h30m'"
    ):
        SLO(service="api", name="availability", period="30 days", sli=AVAILABILITY)


def test_errors_and_total_differ() -> None:
    with rejected("ratio SLI: errors and total are the same query: the error ratio would always be 1"):
        RatioSLI(errors=TOTAL, total=f"  {TOTAL}\n")


def test_queries_need_the_window_placeholder() -> None:
    with rejected(
        "ratio SLI: total: no {{window}} placeholder: write the range as [{{window}}], e.g. rate(x_total[{{window}}])"
    ):
        RatioSLI(errors=ERRORS, total='sum(rate(http_requests_total{job="api"}[5m]))')


def test_error_ratio_query_needs_the_window_placeholder() -> None:
    with rejected(
        "error-ratio SLI: query: no {{window}} placeholder: write the range as [{{window}}], "
        "e.g. rate(x_total[{{window}}])"
    ):
        ErrorRatioSLI(query="sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))")


def test_queries_are_valid_promql_once_a_window_is_filled_in() -> None:
    with rejected("ratio SLI: errors: invalid PromQL: unclosed left parenthesis"):
        RatioSLI(errors="sum(rate(http_requests_total[{{window}}])", total=TOTAL)


def test_queries_return_an_instant_vector() -> None:
    with rejected(
        "error-ratio SLI: query: a rule's expression must return an instant vector or a scalar, not a MatrixSelector"
    ):
        ErrorRatioSLI(query="errors_total[{{window}}]")


def test_latency_threshold_is_a_declared_bucket() -> None:
    with rejected(
        "latency SLI: threshold 0.3 is not a bucket bound of http_request_duration_seconds: the nearest are "
        "0.25 and 0.5; "
        'there is no http_request_duration_seconds_bucket{le="0.3"} series to count'
    ):
        LatencySLI(metric="http_request_duration_seconds", threshold=0.3, buckets=[0.1, 0.25, 0.5, 1])


def test_latency_threshold_is_positive() -> None:
    with rejected("latency SLI: threshold: Input should be greater than 0"):
        LatencySLI(metric="http_request_duration_seconds", threshold=0)


def test_latency_metric_is_the_histograms_name() -> None:
    with rejected(
        "latency SLI: metric: give the histogram's name without '_bucket', i.e. 'http_request_duration_seconds': "
        "its _bucket and _count series are read"
    ):
        LatencySLI(metric="http_request_duration_seconds_bucket", threshold=0.5)


def test_latency_selector_is_label_matchers() -> None:
    with rejected(
        "latency SLI: selector: invalid label matchers 'job=api': unexpected identifier 'api' in label matching, "
        "expected string; write them as in 'job=\"api\"'"
    ):
        LatencySLI(metric="http_request_duration_seconds", selector="job=api", threshold=0.5)


def test_latency_selector_leaves_le_to_the_threshold() -> None:
    with rejected("latency SLI: selector: do not match on 'le': the threshold selects the bucket"):
        LatencySLI(metric="http_request_duration_seconds", selector='job="api", le="0.5"', threshold=0.5)


def test_labels_are_valid_label_names() -> None:
    with rejected("slo api-availability: labels: invalid label name 'team-name': must match [a-zA-Z_][a-zA-Z0-9_]*"):
        SLO(service="api", name="availability", labels={"team-name": "api"}, sli=AVAILABILITY)


def test_sloth_labels_are_the_generators() -> None:
    with rejected(
        "slo api-availability: labels: label 'sloth_id': labels starting with 'sloth_' are set by the generator"
    ):
        SLO(service="api", name="availability", labels={"sloth_id": "mine"}, sli=AVAILABILITY)


def test_alert_labels_are_valid_label_names() -> None:
    with rejected("alert tier: labels: invalid label name '1st': must match [a-zA-Z_][a-zA-Z0-9_]*"):
        Tier(labels={"1st": "page"})


def test_alert_annotations_are_valid_templates() -> None:
    with rejected("alerting X: annotations: summary: unbalanced template: '{{' at offset 0 is never closed"):
        Alerting(name="X", summary="{{ $labels.job")


def test_alerting_needs_a_name_when_an_alert_is_enabled() -> None:
    with rejected("alerting: name is required when the page or the ticket alert is enabled"):
        Alerting(ticket=Tier(enabled=False))


def test_alert_name_is_a_valid_alert_name() -> None:
    with rejected("alerting Api Burn: name: invalid metric name 'Api Burn': must match [a-zA-Z_:][a-zA-Z0-9_:]*"):
        Alerting(name="Api Burn")


def test_severity_given_twice_must_agree() -> None:
    with rejected("alert tier: severity='critical' contradicts labels['severity']='page'; give it once"):
        Tier(severity="critical", labels={"severity": "page"})


def test_service_and_name_make_a_usable_id() -> None:
    with rejected(
        "slo api-avail ability: name: invalid value 'avail ability': use letters, digits, '-', '_' and '.', "
        "starting and ending with a letter or digit"
    ):
        SLO(service="api", name="avail ability", sli=AVAILABILITY)


def test_sli_is_one_of_the_sli_kinds() -> None:
    with rejected(
        "slo api-availability: sli: expected RatioSLI(...), LatencySLI(...), NativeLatencySLI(...) or "
        "ErrorRatioSLI(...), got str"
    ):
        SLO(service="api", name="availability", sli="sum(rate(errors_total[5m]))")  # type: ignore[arg-type]


def test_an_alert_that_could_never_fire_is_refused() -> None:
    with rejected(
        "slo batch-success: the page alert could never fire: its burn-rate thresholds (175.2, 73) times the error "
        "budget 0.1 all exceed an error ratio of 1; shorten the period, raise the objective, or disable the tier "
        "with page=Tier(enabled=False)"
    ):
        SLO(service="batch", name="success", objective=90, period="365d", sli=AVAILABILITY, alerting=Alerting(name="B"))


def test_every_problem_is_reported_at_once() -> None:
    with rejected(
        "slo api-availability: objective: 100 is not a percentage between 0 and 100 (exclusive), such as 99.9",
        "slo api-availability: period: 12h is not a whole number of days, such as '28d' or '30d'",
    ):
        SLO(service="api", name="availability", objective=100, period="12h", sli=AVAILABILITY)


def test_a_problem_in_a_nested_sli_points_at_its_own_line() -> None:
    sli_line = sys._getframe().f_lineno + 5
    with pytest.raises(DefinitionError) as raised:
        SLO(
            service="api",
            name="availability",
            sli=RatioSLI(errors=ERRORS, total=ERRORS),
        )
    (problem,) = raised.value.problems
    assert problem.location is not None
    assert (problem.location.path, problem.location.line) == (THIS_FILE, sli_line)
