"""`result_labels` and `label_tree`: the labels a query's result can carry, as Prometheus computes them."""

from __future__ import annotations

import pytest

from compiler.promql.grafana_variables import parse_query
from compiler.promql.label_sets import LabelSet
from compiler.promql.labels import label_tree, result_labels
from compiler.promql.parse import parse_expr


class Declared:
    """The metrics catalogue as `result_labels` reads it: declared series, each carrying all its labels."""

    def __init__(self, **series: frozenset[str]) -> None:
        self.series = series

    def labels_of(self, name: str) -> LabelSet | None:
        labels = self.series.get(name)
        return LabelSet(labels, frozenset(), labels) if labels is not None else None

    def read_of(self, name: str) -> frozenset[str] | None:
        return self.series.get(name)


TARGET = frozenset({"job", "instance"})
DECLARED = Declared(
    build_info=frozenset({"version"}) | TARGET,
    up=TARGET,
    http_requests_total=frozenset({"method", "route", "code"}) | TARGET,
    http_request_duration_seconds_bucket=frozenset({"route", "le"}) | TARGET,
    pg_stat_database_numbackends=frozenset({"datname"}) | TARGET,
    pg_settings_max_connections=TARGET,
)


def labels(expr: str) -> LabelSet:
    return result_labels(parse_expr(expr), DECLARED)


def known(expr: str) -> frozenset[str] | None:
    return labels(expr).known


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


@pytest.mark.parametrize(
    ("expr", "certain"),
    [
        ("http_requests_total", {"method", "route", "code", "job", "instance"}),
        ("rate(http_requests_total[5m])", {"method", "route", "code", "job", "instance"}),
        ("max_over_time(http_requests_total[5m:1m])", {"method", "route", "code", "job", "instance"}),
        ("sum by (job, tenant) (http_requests_total)", {"job"}),
        ("sum without (code, method) (http_requests_total)", {"route", "job", "instance"}),
        (
            'undeclared{env="prod", zone=~"a|b", rack=~".+", tier!="", cell=~".*", pod!="x"}',
            {"env", "zone", "rack", "tier"},
        ),
        ('undeclared{env="prod" or zone="a"}', set()),
        ('undeclared{job=~"$job"}', set()),
        ('absent(up{job="api", instance!="x"})', {"job"}),
        ("vector(1)", set()),
        ('count_values("version", build_info)', {"version"}),
        ("http_requests_total or up", {"job", "instance"}),
        ("histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))", {"route", "job", "instance"}),
        ('label_replace(up, "service", "$1", "job", "(.*)")', {"service", "job", "instance"}),
        ('label_replace(undeclared, "service", "$1", "job", "(.*)")', set()),
        ('label_replace(up, "service", "api", "", ".*")', {"service", "job", "instance"}),
        ('label_replace(up, "job", "", "", ".*")', {"instance"}),
        ('label_replace(up, "job", "x", "instance", "a.*")', {"job", "instance"}),
        ('label_replace(up, "job", "$1", "instance", "(a.*)")', {"instance"}),
        ('label_join(up, "target", "/", "job", "instance")', {"target", "job", "instance"}),
        ('label_join(undeclared, "target", "", "job")', set()),
        (
            "pg_stat_database_numbackends / on (job, instance) group_left pg_settings_max_connections",
            {"datname", "job", "instance"},
        ),
        ("up * on (job) group_left (version) build_info", {"job", "instance", "version"}),
        ("build_info * on (job) group_right (datname) pg_stat_database_numbackends", {"job", "instance"}),
        ("up / on (job) up", {"job"}),
        ("up / ignoring (instance) up", {"job"}),
        ("up > 1", {"job", "instance"}),
        ("2 * up", {"job", "instance"}),
    ],
)
def test_labels_every_series_carries(expr: str, certain: set[str]) -> None:
    assert labels(expr).certain == frozenset(certain)


@pytest.mark.parametrize(
    ("expr", "values"),
    [
        ('up{job="api"}', {"job": {"api"}}),
        ('up{job=~"api|web"}', {"job": {"api", "web"}}),
        ('up{job=~"api.*"}', {}),
        ('up{job="$job"}', {}),
        ('sum by (job) (up{job="api", instance="a"})', {"job": {"api"}}),
        ('up{job="api"} or up{job="web"}', {"job": {"api", "web"}}),
        ('up{job="api"} or up', {}),
        ('label_replace(up{job="api"}, "service", "$1", "job", "(.*)")', {"job": {"api"}, "service": {"api"}}),
        ('label_replace(up{job="api"}, "job", "web", "job", "x.*")', {"job": {"api", "web"}}),
        ('absent(up{job="api"})', {"job": {"api"}}),
        ('up{job="api"} / on (job) up{job=~"api|web"}', {"job": {"api"}}),
    ],
)
def test_the_only_values_a_label_can_take(expr: str, values: dict[str, set[str]]) -> None:
    assert dict(labels(expr).values) == {label: frozenset(found) for label, found in values.items()}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("sum by (job, route) (rate(http_requests_total[5m]))", {"job", "route"}),
        ("topk(3, http_requests_total)", {"method", "route", "code", "job", "instance"}),
        ("http_requests_total / on (job, route, tenant) up", {"job"}),
        ("http_requests_total / ignoring (code) http_requests_total", {"method", "route", "job", "instance"}),
        ("up / build_info", {"job", "instance"}),
        ("pg_stat_database_numbackends * on (job) group_left (version) build_info", None),
        ("up and on (job) build_info", {"job", "instance"}),
        ("up unless http_requests_total", {"job", "instance"}),
        ("scalar(up) * 2", frozenset()),
        ("time() - 1", frozenset()),
        ('info(up, {version="1"})', "open"),
    ],
)
def test_the_labels_a_result_may_carry(expr: str, expected: set[str] | str | None) -> None:
    result = labels(expr)
    if expected == "open":
        assert result.known is None
    elif expected is None:
        assert result.known == frozenset({"datname", "job", "instance", "version"})
    else:
        assert result.known == frozenset(expected)


def test_dashboard_variables_in_groupings_leave_the_labels_open() -> None:
    grouped = result_labels(parse_query("sum by ($group) (rate(http_requests_total[$__rate_interval]))"), DECLARED)
    assert grouped.may_have("route") and not grouped.certain
    joined = result_labels(parse_query("up * on (job) group_left ($extra) build_info"), DECLARED)
    assert joined.known is None


def test_the_tree_knows_every_label_the_series_below_each_node_can_carry() -> None:
    tree = label_tree(parse_expr("sum by (job) (rate(http_requests_total[5m])) / on (job) sum by (job) (up)"), DECLARED)
    assert tree.read == frozenset({"method", "route", "code", "job", "instance"})
    assert tree.never_read("status") and not tree.never_read("route")
    right = tree.children[1]
    assert right.read == TARGET and right.never_read("route")
    assert [type(item.node).__name__ for item in tree.walk()] == [
        "BinaryExpr",
        "AggregateExpr",
        "Call",
        "MatrixSelector",
        "VectorSelector",
        "AggregateExpr",
        "VectorSelector",
    ]
    assert label_tree(parse_expr("sum by (job) (rate(undeclared_total[5m]))"), DECLARED).read is None
    written = label_tree(parse_expr('label_replace(up, "service", "$1", "job", "(.*)")'), DECLARED)
    assert written.read == TARGET | {"service"}
