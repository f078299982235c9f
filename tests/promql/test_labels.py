"""`result_labels`: the labels a query's result can carry, as Prometheus computes them."""

from __future__ import annotations

from compiler.promql.labels import LabelSet, result_labels
from compiler.promql.parse import parse_expr


class Declared:
    """The metrics catalogue as `result_labels` reads it: declared series and the labels they carry."""

    def __init__(self, **series: frozenset[str]) -> None:
        self.series = series

    def series_labels(self, name: str) -> frozenset[str] | None:
        return self.series.get(name)


DECLARED = Declared(build_info=frozenset({"version", "job", "instance"}))


def known(expr: str) -> frozenset[str] | None:
    return result_labels(parse_expr(expr), DECLARED).known


def test_result_labels_follow_prometheus() -> None:
    """Regressions in `result_labels` found while writing `alert/template-label`."""
    copied = "sum by (job, version) (build_info) * on (job) group_left (version) sum by (job) (up)"
    assert known(copied) == frozenset({"job"})
    assert known('absent(up{job="api", job=~"a.*"})') == frozenset()
    assert known('absent(up{job=~"a.*", job="api"})') == frozenset({"job"})
    assert known('absent(up{job="", instance="a"})') == frozenset({"instance"})
    assert known('label_replace(sum by (job) (up), "job", "", "", "")') == frozenset({"job"})
    assert known('label_replace(sum by (job) (up), "service", "", "", "")') == frozenset({"job"})


def test_a_declared_series_carries_its_labels_and_those_it_is_matched_on() -> None:
    assert known('build_info{env="prod"}') == frozenset({"version", "job", "instance", "env"})
    assert known('count_values("v", build_info)') == frozenset({"v"})


def test_an_undeclared_series_may_carry_any_label_but_those_removed() -> None:
    assert result_labels(parse_expr("sum without (instance) (rate(x_total[5m]))")) == LabelSet(
        None, frozenset({"instance"})
    )
    assert result_labels(parse_expr("histogram_quantile(0.9, rate(x_bucket[5m]))")).may_have("le") is False
