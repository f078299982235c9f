"""Selectors: the metric each reads, its matchers and how a source spells them."""

from __future__ import annotations

import promql_parser

from compiler.promql.selectors import match_operator, matcher_texts, matchers, metric_name, metric_names, selectors


def only_selector(expr: str) -> promql_parser.VectorSelector:
    (selector,) = selectors(promql_parser.parse(expr))
    return selector


def test_the_metric_a_selector_reads_is_its_name_or_an_exact_name_matcher() -> None:
    assert metric_name(only_selector("rate(http_requests_total[5m])")) == "http_requests_total"
    assert metric_name(only_selector('{__name__="job:x:rate5m"}')) == "job:x:rate5m"
    assert metric_name(only_selector('{__name__=~"job:.*"}')) is None
    assert metric_names(only_selector('{__name__="a:b", __name__="c:d"}')) == ["a:b", "c:d"]


def test_selectors_in_the_order_they_are_written() -> None:
    names = [metric_name(s) for s in selectors(promql_parser.parse("a / on (x) group_left b + sum(rate(c[5m]))"))]
    assert names == ["a", "b", "c"]


def test_matchers_of_every_or_alternative_and_their_spelling() -> None:
    found = matchers(only_selector('up{job="api" or instance=~"a.*"}'))
    assert [(m.name, match_operator(m), m.value) for m in found] == [("job", "=", "api"), ("instance", "=~", "a.*")]
    assert matcher_texts(found[1]) == ('instance=~"a.*"', "instance=~'a.*'", "instance=~", "instance")
