"""A dashboard's JSON that breaks Grafana's model gives one plain-words problem per mistake, naming the panel
(its place in `panels`, inside a collapsed row too, and its title) and the field."""

from __future__ import annotations

from typing import Any

from compiler.grafana.parse import ModelProblem, parse_dashboard


def problems(*panels: dict[str, Any], **dashboard: Any) -> list[ModelProblem]:
    parsed = parse_dashboard({"title": "Problems", **dashboard, "panels": list(panels)})
    assert parsed.dashboard is None
    return parsed.problems


def test_an_unknown_reduction_names_the_panel_the_field_and_what_grafana_knows() -> None:
    assert problems({"type": "stat", "title": "Up", "options": {"reduceOptions": {"calcs": ["avg"]}}}) == [
        ModelProblem(
            (0,),
            "Up",
            "options.reduceOptions.calcs: 'avg' is not a reduction Grafana knows "
            "(lastNotNull, last, firstNotNull, first, min, max, mean, median, ..., p1-p99)",
        )
    ]


def test_a_bad_enum_value_lists_the_values_grafana_accepts() -> None:
    assert problems({"type": "text"}, {"type": "stat", "title": "Up", "options": {"graphMode": "sparkline"}}) == [
        ModelProblem((1,), "Up", "options.graphMode: 'sparkline' is not one of 'none', 'line', 'area'")
    ]


def test_an_unknown_field_inside_a_collapsed_row_names_the_row_and_the_panel() -> None:
    row = {
        "type": "row",
        "title": "Latency",
        "collapsed": True,
        "panels": [
            {"type": "timeseries", "title": "p99"},
            {"type": "timeseries", "title": "p50", "options": {"legend": {"showLegend": True, "colour": "red"}}},
        ],
    }
    assert problems({"type": "stat", "title": "Up"}, row) == [
        ModelProblem((1, 1), "p50", "options.legend.colour: not a field Grafana knows here")
    ]


def test_custom_field_config_and_targets_are_checked_by_panel_kind_and_datasource() -> None:
    panel = {
        "type": "timeseries",
        "title": "Rate",
        "datasource": {"type": "loki", "uid": "logs"},
        "fieldConfig": {"defaults": {"custom": {"lineWidth": "thick", "drawStyle": "area"}}},
        "targets": [
            {"refId": "A", "expr": "rate({app='api'}[5m])", "maxLines": 10},
            {"refId": "B", "datasource": {"type": "prometheus"}, "expr": "up", "maxLines": 10},
        ],
    }
    assert problems(panel) == [
        ModelProblem((0,), "Rate", "targets[1].maxLines: not a field Grafana knows here"),
        ModelProblem(
            (0,), "Rate", "fieldConfig.defaults.custom.drawStyle: 'area' is not one of 'line', 'bars', 'points'"
        ),
        ModelProblem(
            (0,), "Rate", "fieldConfig.defaults.custom.lineWidth: 'thick' should be a valid integer or a valid number"
        ),
    ]


def test_a_row_inside_a_row_and_a_panel_without_a_type_are_problems_of_that_panel() -> None:
    assert problems({"type": "row", "collapsed": True, "panels": [{"type": "row"}]}, {"title": "Untyped"}) == [
        ModelProblem((0, 0), None, "type: a row cannot hold a row"),
        ModelProblem((1,), "Untyped", "type: required, and missing"),
    ]


def test_a_problem_outside_any_panel_has_no_panel_path() -> None:
    assert problems(graphTooltip=5, templating={"list": [{"type": "query"}]}) == [
        ModelProblem(None, None, "graphTooltip: 5 is not one of 0, 1, 2"),
        ModelProblem(None, None, "templating.list[0].name: required, and missing"),
    ]


def test_every_message_is_one_line() -> None:
    found = problems(
        {"type": "table", "title": "T", "fieldConfig": {"defaults": {"custom": {"cellOptions": {"type": "x"}}}}}
    )
    assert [problem.message.count("\n") for problem in found] == [0]
    assert found[0].message.startswith("fieldConfig.defaults.custom.cellOptions.type: 'x' is not one of 'auto', ")
