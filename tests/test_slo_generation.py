"""SLO generation: Sloth's own acceptance fixtures, written in the DSL, must generate the same rules.

The expected files are Sloth's (`../shared/reference/sloth/out-base*.yaml.tpl`); expressions are compared as
parsed PromQL, numbers to 1e-9, so layout and binary noise (`0.0009999999999999432`) do not matter.
"""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml

from compiler.dsl.numbers import format_number
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.series import gauge
from compiler.dsl.sli import NativeLatencySLI
from compiler.dsl.sli_queries import format_le
from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, LatencySLI, RatioSLI, Tier
from compiler.dsl.slo_windows import burn_rate_conditions
from compiler.emit.rule_files import group_document
from compiler.emit.yaml_text import to_yaml
from compiler.slo import burn_rate_alerts, metadata_recording_rules, sli_recording_rules, slo_rule_groups
from compiler.slo.metadata_rules import GENERATOR

REPOSITORY = Path(__file__).resolve().parents[1]
SLOTH = REPOSITORY.parent / "shared" / "reference" / "sloth"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def in_base_slos(period: str = "30d") -> list[SLO]:
    """`in-base.yaml` written in the DSL (its service-level labels repeated on each SLO)."""
    return [
        SLO(
            service="svc01",
            name="slo1",
            objective=99.9,
            period=period,
            description="This is SLO 01.",
            labels={"global01k1": "global01v1", "global02k1": "global02v1"},
            sli=RatioSLI(
                errors='sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{window}}]))',
                total='sum(rate(http_request_duration_seconds_count{job="myservice"}[{{window}}]))',
            ),
            alerting=Alerting(
                name="myServiceAlert",
                labels={"alert01k1": "alert01v1"},
                annotations={"alert02k1": "alert02k2"},
                page=Tier(labels={"alert03k1": "alert03v1"}),
                ticket=Tier(labels={"alert04k1": "alert04v1"}),
            ),
        ),
        SLO(
            service="svc01",
            name="slo02",
            objective=95,
            period=period,
            description="This is SLO 02.",
            labels={"global01k1": "global01v1", "global03k1": "global03v1"},
            sli=ErrorRatioSLI(
                query="""
                    sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{window}}]))
                    /
                    sum(rate(http_request_duration_seconds_count{job="myservice"}[{{window}}]))
                """
            ),
            alerting=Alerting(page=Tier(enabled=False), ticket=Tier(enabled=False)),
        ),
    ]


# --- comparing with Sloth -----------------------------------------------------------------------------------------


def sloth_groups(template: str) -> list[dict[str, Any]]:
    """A Sloth golden file as data: its Go template placeholders rendered as Sloth renders them."""
    text = (SLOTH / template).read_text()
    text = text.replace("{{ .version }}", GENERATOR)
    text = re.sub(r'\{\{"(\{\{.*?\}\})"\}\}', r"\1", text)
    groups: list[dict[str, Any]] = yaml.safe_load(text)["groups"]
    return groups


def our_groups(slos: list[SLO]) -> list[dict[str, Any]]:
    """What moncc writes for these SLOs, read back from the emitted YAML."""
    text = to_yaml({"groups": [group_document(group) for slo in slos for group in slo_rule_groups(slo)]})
    groups: list[dict[str, Any]] = yaml.safe_load(text)["groups"]
    return groups


_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")


def canonical_promql(expr: str) -> tuple[str, list[float]]:
    """The expression as the parser prints it, numbers pulled out so they can be compared with a tolerance."""
    printed = str(promql_parser.parse(expr))
    return _NUMBER.sub("#", printed), [float(number) for number in _NUMBER.findall(printed)]


def assert_same_rule(ours: dict[str, Any], theirs: dict[str, Any], where: str) -> None:
    assert ours.keys() == theirs.keys(), where
    for key in ours.keys() - {"expr"}:
        assert ours[key] == theirs[key], f"{where}: {key}"
    our_shape, our_numbers = canonical_promql(ours["expr"])
    their_shape, their_numbers = canonical_promql(theirs["expr"])
    assert our_shape == their_shape, where
    assert our_numbers == pytest.approx(their_numbers, abs=1e-9, rel=0), where


def assert_same_groups(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    assert [group["name"] for group in ours] == [group["name"] for group in theirs]
    for our_group, their_group in zip(ours, theirs, strict=True):
        assert our_group.keys() == their_group.keys()
        names = [rule.get("record") or rule.get("alert") for rule in our_group["rules"]]
        assert names == [rule.get("record") or rule.get("alert") for rule in their_group["rules"]]
        for index, (ours_rule, theirs_rule) in enumerate(zip(our_group["rules"], their_group["rules"], strict=True)):
            assert_same_rule(ours_rule, theirs_rule, f"{our_group['name']} rule {index} ({names[index]})")


def test_30d_slos_generate_what_sloth_generates() -> None:
    assert_same_groups(our_groups(in_base_slos("30d")), sloth_groups("out-base.yaml.tpl"))


def test_28d_slos_generate_what_sloth_generates() -> None:
    assert_same_groups(our_groups(in_base_slos("28d")), sloth_groups("out-base-28d.yaml.tpl"))


def test_the_comparison_notices_a_different_threshold() -> None:
    ours = our_groups(in_base_slos("28d"))
    with pytest.raises(AssertionError):
        assert_same_groups(ours, sloth_groups("out-base.yaml.tpl"))


# --- the generated rules ------------------------------------------------------------------------------------------


def test_groups_are_named_after_the_slo_id() -> None:
    slo1, slo02 = in_base_slos()
    assert [group.name for group in slo_rule_groups(slo1)] == [
        "sloth-slo-sli-recordings-svc01-slo1",
        "sloth-slo-meta-recordings-svc01-slo1",
        "sloth-slo-alerts-svc01-slo1",
    ]
    assert [group.name for group in slo_rule_groups(slo02)] == [
        "sloth-slo-sli-recordings-svc01-slo02",
        "sloth-slo-meta-recordings-svc01-slo02",
    ]


def test_every_generated_definition_points_at_the_slo() -> None:
    slo = in_base_slos()[0]
    definitions: list[Alert | Record | RuleGroup] = list(slo_rule_groups(slo))
    definitions += [rule for group in slo_rule_groups(slo) for rule in group.rules]
    assert {definition.location for definition in definitions} == {slo.location}


def test_sli_rules_cover_every_alert_window_and_the_period() -> None:
    records = sli_recording_rules(in_base_slos("28d")[0])
    assert [record.labels["sloth_window"] for record in records] == ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "4w"]
    assert [record.name for record in records][-1] == "slo:sli_error:ratio_rate4w"


def test_latency_sli_counts_requests_slower_than_the_threshold() -> None:
    slo = SLO(
        service="api",
        name="latency",
        objective=99,
        sli=LatencySLI(metric="http_request_duration_seconds", selector='job="api"', threshold=1.0),
    )
    assert sli_recording_rules(slo)[0].expr == (
        "(\n"
        '  sum(rate(http_request_duration_seconds_count{job="api"}[5m]))\n'
        "  -\n"
        '  sum(rate(http_request_duration_seconds_bucket{job="api",le="1"}[5m]))\n'
        ")\n"
        "/\n"
        '(sum(rate(http_request_duration_seconds_count{job="api"}[5m])))'
    )


def test_latency_sli_without_selector() -> None:
    slo = SLO(service="api", name="latency", sli=LatencySLI(metric="rpc_seconds", threshold=0.25))
    assert sli_recording_rules(slo)[0].expr == (
        "(\n"
        "  sum(rate(rpc_seconds_count[5m]))\n"
        "  -\n"
        '  sum(rate(rpc_seconds_bucket{le="0.25"}[5m]))\n'
        ")\n"
        "/\n"
        "(sum(rate(rpc_seconds_count[5m])))"
    )


@pytest.mark.parametrize(
    ("bound", "label"),
    [(0.5, "0.5"), (1, "1"), (1.0, "1"), (2.5, "2.5"), (10, "10"), (0.005, "0.005"), (1e-5, "1e-05"), (1e6, "1e+06")],
)
def test_le_is_written_as_prometheus_writes_it(bound: float, label: str) -> None:
    assert format_le(bound) == label


def test_numbers_are_clean() -> None:
    slo = SLO(
        service="api",
        name="availability",
        objective=99.95,
        period="28d",
        sli=RatioSLI(errors="sum(rate(e_total[{{window}}]))", total="sum(rate(t_total[{{window}}]))"),
        alerting=Alerting(name="ApiAvailabilityBudgetBurn"),
    )
    objective, budget = metadata_recording_rules(slo)[:2]
    assert objective.expr == "vector(0.9995)"
    assert budget.expr == "vector(1-0.9995)"
    page, ticket = burn_rate_alerts(slo)
    assert "> (13.44 * 0.0005))" in page.expr
    assert "> (0.933333333333 * 0.0005))" in ticket.expr


@pytest.mark.parametrize(
    ("period", "factors"),
    [
        ("30d", ["14.4", "6", "3", "1"]),
        ("28d", ["13.44", "5.6", "2.8", "0.933333333333"]),
        ("7d", ["3.36", "1.4", "0.7", "0.233333333333"]),
        ("90d", ["43.2", "18", "9", "3"]),
    ],
)
def test_burn_rate_factors_scale_with_the_period(period: str, factors: list[str]) -> None:
    slo = SLO(
        service="a", name="b", period=period, sli=ErrorRatioSLI(query="rate(e[{{window}}]) / rate(t[{{window}}])")
    )
    assert [format_number(condition.factor) for condition in burn_rate_conditions(slo.period)] == factors


def test_alerts_carry_severity_runbook_and_tier_settings() -> None:
    slo = SLO(
        service="api",
        name="availability",
        sli=RatioSLI(errors="sum(rate(e_total[{{window}}]))", total="sum(rate(t_total[{{window}}]))"),
        alerting=Alerting(
            name="ApiAvailabilityBudgetBurn",
            labels={"team": "api"},
            runbook_url="https://runbooks.example.com/ApiAvailabilityBudgetBurn",
            description="{{ $value | humanizePercentage }} of the budget",
            page=Tier(severity="critical", for_="2m", annotations={"summary": "API burns its budget"}),
            ticket=Tier(severity="warning"),
        ),
    )
    page, ticket = burn_rate_alerts(slo)
    assert page.labels == {"severity": "critical", "sloth_severity": "page", "team": "api"}
    assert ticket.labels == {"severity": "warning", "sloth_severity": "ticket", "team": "api"}
    assert page.for_ is not None and page.for_.total_seconds() == 120
    assert ticket.for_ is None
    assert page.annotations == {
        "description": "{{ $value | humanizePercentage }} of the budget",
        "runbook_url": "https://runbooks.example.com/ApiAvailabilityBudgetBurn",
        "summary": "API burns its budget",
        "title": "(page) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.",
    }
    assert ticket.annotations["summary"] == (
        "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected."
    )


def test_an_slo_without_alerting_records_only() -> None:
    slo = SLO(service="a", name="b", sli=ErrorRatioSLI(query="rate(e[{{window}}]) / rate(t[{{window}}])"))
    assert burn_rate_alerts(slo) == []
    assert len(slo_rule_groups(slo)) == 2


def test_a_disabled_tier_is_left_out() -> None:
    slo = SLO(
        service="a",
        name="b",
        sli=ErrorRatioSLI(query="rate(e[{{window}}]) / rate(t[{{window}}])"),
        alerting=Alerting(name="BBudgetBurn", ticket=Tier(enabled=False)),
    )
    assert [alert.labels["sloth_severity"] for alert in burn_rate_alerts(slo)] == ["page"]


# --- promtool -----------------------------------------------------------------------------------------------------


def repository_slos() -> list[SLO]:
    """The SLOs `rules_src/slos.py` keeps at module level."""
    module = runpy.run_path(str(REPOSITORY / "rules_src" / "slos.py"))
    return [value for value in module.values() if isinstance(value, SLO)]


def edge_slos() -> list[SLO]:
    """Inputs at the edges of what the DSL accepts: a histogram without selector, an odd period, `for`,
    overridden annotations, an objective with many digits."""
    return [
        SLO(
            service="rpc",
            name="latency",
            objective=99.995,
            period="4d",
            sli=LatencySLI(metric="rpc_duration_seconds", threshold=2.5),
            alerting=Alerting(
                name="RpcLatencyBudgetBurn",
                summary="{{ $labels.sloth_service }} is slow",
                page=Tier(for_="2m", labels={"severity": "critical"}),
                ticket=Tier(enabled=False),
            ),
        ),
        SLO(
            service="batch",
            name="success",
            objective=99.9,
            period="365d",
            sli=ErrorRatioSLI(query="1 - avg_over_time(job_success[{{window}}])"),
            test_traffic=lambda ratio: [gauge("job_success", 1 - ratio)],
            alerting=Alerting(
                name="BatchSuccessBudgetBurn",
                description="{{ $value | humanizePercentage }}",
                page=Tier(enabled=False),
                ticket=Tier(labels={"severity": "warning"}),
            ),
        ),
    ]


def test_the_repository_declares_mixed_slos() -> None:
    found = repository_slos()
    assert len(found) >= 5
    assert {type(slo.sli) for slo in found} == {RatioSLI, LatencySLI, NativeLatencySLI, ErrorRatioSLI}
    assert {slo.period.days for slo in found} >= {28, 30}
    assert len({slo.slo_id for slo in found}) == len(found)


@pytest.mark.skipif(not Path(PROMTOOL).exists(), reason="promtool is not installed")
def test_generated_rules_pass_promtool(tmp_path: Path) -> None:
    files = []
    for index, slo in enumerate([*in_base_slos("30d"), *in_base_slos("28d"), *repository_slos(), *edge_slos()]):
        path = tmp_path / f"slo{index}.rules.yaml"
        path.write_text(to_yaml({"groups": [group_document(group) for group in slo_rule_groups(slo)]}))
        files.append(str(path))
    result = subprocess.run([PROMTOOL, "check", "rules", *files], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_rules_are_what_the_validating_constructors_build() -> None:
    """Generation skips re-validating its rules (see compiler/slo/construct.py); this proves nothing is lost."""
    slos = [*in_base_slos("30d"), *in_base_slos("28d"), *repository_slos(), *edge_slos()]
    for rule in (rule for slo in slos for group in slo_rule_groups(slo) for rule in group.rules):
        if isinstance(rule, Alert):
            validated: Alert | Record = Alert(
                rule.name,
                expr=rule.expr,
                for_=rule.for_,
                labels=rule.labels,
                annotations=rule.annotations,
                tests=rule.tests,
                location=rule.location,
            )
        else:
            validated = Record(rule.name, expr=rule.expr, labels=rule.labels, tests=rule.tests, location=rule.location)
        assert validated == rule
        assert list(validated.labels) == list(rule.labels)
