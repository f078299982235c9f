"""`record/duplicate-series`: same name and labels is a duplicate unless the results provably cannot meet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compiler.dsl import Record, RuleGroup
from compiler.lint.checks.record_duplicate_series import DuplicateSeries
from compiler.lint.subjects import LintContext, linted_rule
from compiler.load.metrics import Catalogue
from compiler.promql.parse import parse_expr
from compiler.settings.lint import LintSettings
from tests.conftest import ProjectFactory
from tests.lint.example_runner import lint_example

CONTEXT = LintContext(LintSettings(), Catalogue(), timedelta(minutes=1))


def duplicates(*exprs: str, labels: tuple[dict[str, str] | None, ...] = ()) -> list[int]:
    """The positions of the rules reported, when each expr is recorded as `code:requests:increase1h`."""
    records = [
        Record("code:requests:increase1h", expr=expr, labels=labels[i] if i < len(labels) else None)
        for i, expr in enumerate(exprs)
    ]
    group = RuleGroup("g", records)
    rules = [linted_rule(record, group, parse_expr(record.expr)) for record in records]
    return [
        next(i for i, each in enumerate(rules) if each is rule) for rule, _ in DuplicateSeries().check(rules, CONTEXT)
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # kube-prometheus: one rule per status class, `code` kept by the aggregation
        (
            'sum by (code, verb) (increase(apiserver_request_total{verb=~"LIST|GET|POST",code=~"2.."}[1h]))',
            'sum by (code, verb) (increase(apiserver_request_total{verb=~"LIST|GET|POST",code=~"5.."}[1h]))',
        ),
        ('sum by (verb) (increase(r_total{verb="LIST"}[1h]))', 'sum by (verb) (increase(r_total{verb="GET"}[1h]))'),
        (
            'sum by (verb) (increase(r_total{verb=~"LIST|GET"}[1h]))',
            'sum by (verb) (increase(r{verb=~"PUT|POST"}[1h]))',
        ),
        ('sum by (verb) (increase(r_total{verb="GET"}[1h]))', 'sum by (verb) (increase(r_total{verb!="GET"}[1h]))'),
        ('sum by (verb) (increase(r_total{verb="GET"}[1h]))', 'sum by (verb) (increase(r_total{verb=~"P.*"}[1h]))'),
        ('sum by (verb) (increase(r_total{verb=~"G.*"}[1h]))', 'sum by (verb) (increase(r_total{verb!~"G.*"}[1h]))'),
        ("sum by (job) (increase(r_total[1h]))", "sum by (instance) (increase(r_total[1h]))"),
        # the label survives a division by a series without it, on the left-hand side
        (
            'sum by (code) (increase(r_total{code="200"}[1h])) / ignoring (code) group_left sum(increase(r_total[1h]))',
            'sum by (code) (increase(r_total{code="500"}[1h])) / ignoring (code) group_left sum(increase(r_total[1h]))',
        ),
    ],
)
def test_results_kept_apart_are_not_duplicates(first: str, second: str) -> None:
    assert duplicates(first, second) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("sum(increase(r_total[1h]))", "sum(increase(r_total[1h]))"),
        ('sum by (job) (increase(r_total{code="200"}[1h]))', 'sum by (job) (increase(r_total{code="500"}[1h]))'),
        ('sum by (code) (increase(r_total{code=~"2.."}[1h]))', 'sum by (code) (increase(r_total{code=~"20."}[1h]))'),
        ('sum by (code) (increase(r_total{code=~"2.."}[1h]))', "sum by (code) (increase(r_total[1h]))"),
        ('sum by (code) (increase(r_total{code="200"}[1h]))', 'sum by (code) (increase(r_total{code=~"2.."}[1h]))'),
        ('increase(r_total{code="200"}[1h]) or increase(r_total{code="201"}[1h])', 'increase(r_total{code="500"}[1h])'),
        (
            'label_replace(increase(r_total{code="200"}[1h]), "code", "ok", "", "")',
            'label_replace(increase(r_total{code="500"}[1h]), "code", "ok", "", "")',
        ),
        ('increase(r_total{code="200"}[1h]) / on (job) x', 'increase(r_total{code="500"}[1h]) / on (job) x'),
    ],
)
def test_results_that_can_meet_are_duplicates(first: str, second: str) -> None:
    assert duplicates(first, second) == [1]


def test_a_static_label_overwrites_what_kept_the_results_apart() -> None:
    exprs = ('sum by (verb) (increase(r_total{verb="GET"}[1h]))', 'sum by (verb) (increase(r_total{verb="PUT"}[1h]))')
    assert duplicates(*exprs, labels=({"verb": "read"}, {"verb": "read"})) == [1]
    assert duplicates(*exprs, labels=({"verb": "read"}, {"verb": "write"})) == []


def test_each_duplicate_is_reported_once_against_the_first() -> None:
    assert duplicates("sum(increase(r_total[1h]))", "sum(increase(r_total[1h]))", "sum(increase(r_total[1h]))") == [
        1,
        2,
    ]


def test_the_message_names_the_first_rule_across_modules(make_project: ProjectFactory) -> None:
    project = make_project()
    project.write(
        "orders",
        """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("orders", [Record("job:orders:rate5m", expr="sum by (job) (rate(orders_total[5m]))")])
        """,
    )
    linted = lint_example(
        project,
        """
        from compiler.dsl import Record, RuleGroup

        group = RuleGroup("shop", [Record("job:orders:rate5m", expr="sum by (job) (rate(orders_total[1m]))")])
        """,
    )
    found = [f for f in linted.findings if f["check"] == "record/duplicate-series"]
    assert [(f["path"], f["line"]) for f in found] == [("rules_src/orders.py", 3)]
    assert "rules_src/example.py:3" in str(found[0]["message"])
