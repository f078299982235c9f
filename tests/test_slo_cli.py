"""SLOs through the real CLI: every bad SLO input is one line at `rules_src/<file>.py:<line>:`, exit status 1,
build/ untouched; a project with one SLO of each SLI kind passes `moncc test` with every tier tested."""

from __future__ import annotations

import pytest

from tests.conftest import Project, ProjectFactory

IMPORTS = "from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier\n"

RATIO = """RatioSLI(
        errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
        total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
    )"""


def slo_module(*, name: str = "availability", sli: str = RATIO, **arguments: str) -> str:
    """A module whose SLO starts on line 3 and whose SLI starts on line 6."""
    extra = "".join(f"    {key}={value},\n" for key, value in arguments.items())
    return (
        f"{IMPORTS}\n"
        f'slo = SLO(\n    service="api",\n    name="{name}",\n    sli={sli},\n{extra}'
        '    alerting=Alerting(name="ApiBudgetBurn"),\n)\n'
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"objective": "100"},
            "rules_src/slos.py:3: slo api-availability: objective: 100 is not a percentage between 0 and 100 "
            "(exclusive), such as 99.9",
        ),
        (
            {"objective": "0"},
            "rules_src/slos.py:3: slo api-availability: objective: 0 is not a percentage between 0 and 100 "
            "(exclusive), such as 99.9",
        ),
        (
            {"period": '"36h"'},
            "rules_src/slos.py:3: slo api-availability: period: 1d12h is not a whole number of days, "
            "such as '28d' or '30d'",
        ),
        (
            {"period": '"3d"'},
            "rules_src/slos.py:3: slo api-availability: period: 3d is too short: an SLO period must be longer "
            "than the 3d window of the slow ticket alert",
        ),
    ],
)
def test_bad_objective_and_period(project: Project, arguments: dict[str, str], message: str) -> None:
    project.write("slos", slo_module(**arguments))
    assert project.build_fails() == [message]


@pytest.mark.parametrize(
    ("sli", "message"),
    [
        (
            "RatioSLI(errors='sum(rate(x_total[{{window}}]))', total='sum(rate(x_total[{{window}}]))')",
            "rules_src/slos.py:6: ratio SLI: errors and total are the same query: the error ratio would always be 1",
        ),
        (
            "RatioSLI(errors='sum(rate(e_total[5m]))', total='sum(rate(t_total[{{window}}]))')",
            "rules_src/slos.py:6: ratio SLI: errors: no {{window}} placeholder: write the range as [{{window}}], "
            "e.g. rate(x_total[{{window}}])",
        ),
        (
            "ErrorRatioSLI(query='sum(rate(e_total[{{window}}])) / sum(rate(t_total[{{window}}])')",
            "rules_src/slos.py:6: error-ratio SLI: query: invalid PromQL: unclosed left parenthesis",
        ),
        (
            "LatencySLI(metric='http_request_duration_seconds', threshold=0.3, buckets=[0.1, 0.25, 0.5, 1])",
            "rules_src/slos.py:6: latency SLI: threshold 0.3 is not a bucket bound of http_request_duration_seconds: "
            "the nearest are 0.25 and 0.5; "
            'there is no http_request_duration_seconds_bucket{le="0.3"} series to count',
        ),
        (
            "ErrorRatioSLI(query='1 - avg_over_time(job_success[{{window}}])')",
            "rules_src/slos.py:3: slo api-availability: sli: cannot synthesize test traffic for the generated "
            "alert tests: the error ratio is not written as errors / total (it is a '-' expression); write the "
            "error ratio as errors / total, each a sum of rate(...) over selectors with a metric name, or give "
            "SLO(test_traffic=...): a function from an error ratio to the input series that produce it",
        ),
    ],
)
def test_bad_sli(project: Project, sli: str, message: str) -> None:
    project.write("slos", slo_module(sli=sli))
    assert project.build_fails() == [message]


def test_service_and_name_are_unique_across_modules(project: Project) -> None:
    project.write("a", slo_module())
    project.write("b", slo_module())
    problems = project.build_fails()
    assert len(problems) == 1
    assert problems[0].startswith("rules_src/b.py:3: slo api-availability: service and name already used at ")
    assert problems[0].endswith("rules_src/a.py:3")


def test_an_annotation_the_tests_cannot_predict_is_refused(project: Project) -> None:
    project.write(
        "slos",
        slo_module(labels='{"team": "api"}').replace(
            'Alerting(name="ApiBudgetBurn")', 'Alerting(name="ApiBudgetBurn", description="{{ $value | humanize }}")'
        ),
    )
    assert project.build_fails() == [
        "rules_src/slos.py:3: slo api-availability: alerting: annotation 'description' uses templates the "
        "generated tests cannot predict: use {{ $labels.x }} or {{ $value | humanizePercentage }} (a raw "
        "{{ $value }} prints the ratio's last digits, which Prometheus 2 and 3 round differently)",
    ]


MIXED = f'''{IMPORTS}from compiler.dsl import gauge

availability = SLO(
    service="api",
    name="availability",
    objective=99.9,
    sli={RATIO},
    alerting=Alerting(
        name="ApiAvailabilityBudgetBurn",
        description="{{{{ $value | humanizePercentage }}}} of requests fail",
        page=Tier(severity="critical", for_="2m", labels={{"pager": "on-call"}}),
        ticket=Tier(severity="warning", labels={{"queue": "api"}}),
    ),
)

latency = SLO(
    service="api",
    name="latency",
    objective=99,
    period="28d",
    labels={{"team": "api"}},
    sli=LatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=0.5, buckets=[0.1, 0.5, 1]),
    alerting=Alerting(name="ApiLatencyBudgetBurn", page=Tier(enabled=False)),
)

delivery = SLO(
    service="pipeline",
    name="delivery",
    objective=99.5,
    sli=ErrorRatioSLI(
        query="""
            sum(rate(queue_messages_failed_total[{{{{window}}}}]))
            /
            (sum(rate(queue_messages_delivered_total[{{{{window}}}}])) + sum(rate(queue_messages_failed_total[{{{{window}}}}])))
        """
    ),
    alerting=Alerting(name="PipelineDeliveryBudgetBurn", ticket=Tier(enabled=False)),
)

batch = SLO(
    service="batch",
    name="success",
    objective=95,
    sli=ErrorRatioSLI(query="1 - avg_over_time(job_success[{{{{window}}}}])"),
    test_traffic=lambda ratio: [gauge("job_success", 1 - ratio)],
    alerting=Alerting(name="BatchSuccessBudgetBurn"),
)
'''


def test_one_slo_of_each_kind_passes_moncc_test_with_every_tier_tested(make_project: ProjectFactory) -> None:
    project = make_project(slos=MIXED)
    project.build()
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for alert in ("ApiAvailabilityBudgetBurn", "ApiLatencyBudgetBurn", "PipelineDeliveryBudgetBurn"):
        assert any(line.split()[:5] == [alert, "fires:", "yes", "quiet:", "yes"] for line in lines), alert
    summary = next(line for line in lines if line.startswith("alerts: "))
    assert summary.startswith("alerts: 6, fully tested: 6 (100%), exempt: 0; tests: ")
    assert summary.endswith(" 0 failed")
    tests = project.read("tests/slos.test.yaml")
    assert "page fires just above 14.4x the budget over 5m and 1h" in tests
    assert "ticket quiet just below 0.933333333333x the budget" in tests
    assert "records the planted error ratio" in tests
