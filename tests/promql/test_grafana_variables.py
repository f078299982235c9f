"""Grafana variables in a dashboard query and the PromQL that stands in for them."""

from __future__ import annotations

import pytest

from compiler.promql.grafana_variables import parse_query, stand_in, variables_used


def test_grafana_variables_are_stood_in_for_before_parsing() -> None:
    expr = 'sum(rate(x{job="$job"}[$__rate_interval])) by ($group) / ${total} + [[other]]'
    assert variables_used(expr) == ["job", "__rate_interval", "group", "total", "other"]
    assert stand_in(expr) == 'sum(rate(x{job="$job"}[5m])) by (var_group) / var_total + var_other'
    parse_query("topk($n, rate(x[$__range]))")


def test_a_query_that_does_not_parse_names_its_first_reading() -> None:
    with pytest.raises(ValueError, match="invalid PromQL"):
        parse_query("sum(rate(x[$__range])")
