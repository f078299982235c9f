"""A value check that fails only on floating-point rounding says which value to write, on every engine.

promtool 3.5 runs with `fuzzy_compare: true` (one bit apart is equal) and 2.42, which refuses the field, without.
Where the engines' results differ by more than that, no expected value passes on both: the message gives each."""

from __future__ import annotations

from compiler.verify.rounding import rounding_hint
from tests.conftest import ProjectFactory

LATENCY = """
from compiler.dsl import Evaluates, Record, RuleGroup, RuleTest, counter

latency = RuleGroup(
    "latency",
    rules=[
        Record(
            "job:read_latency:avg5m",
            expr="sum by (job) (rate(duration_sum[5m])) / sum by (job) (rate(duration_count[5m]))",
            tests=[
                RuleTest(
                    "0.4 s per read",
                    series=[counter('duration_sum{job="db"}', 0.04), counter('duration_count{job="db"}', 0.1)],
                    expect=[Evaluates(at="10m", value=0.4, labels={"job": "db"})],
                )
            ],
        )
    ],
)
"""


def test_a_rounding_failure_names_the_value_to_write(make_project: ProjectFactory) -> None:
    project = make_project(latency=LATENCY)
    project.build()
    result = project.run("test")
    assert result.exit_code == 1
    failures = [line for line in result.problems if "0.4 s per read" in line]
    # The engines round differently (0.3999999999999999 on 2.42, ...998 on 3.5.3): one line each.
    assert failures
    for failure in failures:
        assert failure.startswith('rules_src/latency.py:10: test "0.4 s per read" fails on prometheus-')
        assert "differ only in floating-point rounding: to expect what the engine computes, write value=0.39999" in (
            failure
        )


def test_only_rounding_differences_get_a_hint() -> None:
    assert rounding_hint('{a="1"} 4E-01', '{a="1"} 3.999999999999991E-01').endswith("write value=0.3999999999999991")
    assert rounding_hint('{a="1"} 4E-01', '{a="1"} 5E-01') == ""
    assert rounding_hint('{a="1"} 4E-01', '{a="2"} 3.999999999999991E-01') == ""
    assert rounding_hint('{a="1"} 4E-01', "") == ""


ONE_BIT = """
from compiler.dsl import Evaluates, Record, RuleGroup, RuleTest, gauge

sums = RuleGroup(
    "sums",
    rules=[
        Record(
            "job:x:plus",
            expr="sum by (job) (x) + 0.2",
            tests=[
                RuleTest(
                    "one bit",
                    series=[gauge('x{job="a"}', 0.1)],
                    expect=[Evaluates(at="5m", value=0.3, labels={"job": "a"})],
                )
            ],
        )
    ],
)
"""


def test_engines_with_fuzzy_compare_forgive_one_bit(make_project: ProjectFactory) -> None:
    """0.1 + 0.2 is 0.30000000000000004: promtool 3.5 runs with `fuzzy_compare: true` and passes; 2.42 cannot."""
    project = make_project(sums=ONE_BIT)
    project.build()
    result = project.run("test")
    [failure] = [line for line in result.problems if "one bit" in line]
    assert failure.startswith('rules_src/sums.py:10: test "one bit" passes on prometheus-3, fails on prometheus-2:')
    assert failure.endswith("write value=0.30000000000000004")
