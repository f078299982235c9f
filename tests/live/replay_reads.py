"""What a check reads of the rules a test file loads: the groups whose evaluations decide it, through the records
they read, and why a fresh server on the wall clock cannot reproduce it (`Reads.reasons`): a `for`, a record read
over its history, the history of alert evaluations, absolute time, a subquery."""

from __future__ import annotations

from dataclasses import dataclass, field

import promql_parser as promql

from compiler.promql.nodes import children, function_name
from compiler.promql.parse import parse
from compiler.promql.selectors import metric_name
from tests.live.replay_checks import AlertCheck, Check, GroupKey, Rule, Rules, duration_text

ABSOLUTE_TIME_FUNCTIONS = frozenset(
    {
        "time",
        "timestamp",
        "minute",
        "hour",
        "day_of_week",
        "day_of_month",
        "day_of_year",
        "days_in_month",
        "month",
        "year",
    }
)
ALERT_SERIES = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
"""The series alert evaluations write: what a rule reads of them is the history of those evaluations."""


def reads(check: Check, rules: Rules) -> Reads:
    """What the check reads: the groups whose evaluation decides it (`roots`), the groups each of those reads
    records of (`edges`), and why a fresh server cannot reproduce it (`reasons`, empty if it can)."""
    found = Reads(rules)
    if isinstance(check, AlertCheck):
        for rule in rules.alerts.get(check.alertname, ()):
            if rule.for_ms:
                found.reasons.append(f"`for: {duration_text(rule.for_ms)}` needs that long of evaluations")
            found.roots.add(rule.group)
            found.visit(parse(rule.expr), rule)
    else:
        found.visit(parse(check.expr), None)
    found.check_cycles()
    return found


@dataclass
class Reads:
    """The groups whose records an expression reads, through the records they read, and what it reads that a
    fresh server on the wall clock cannot reproduce."""

    rules: Rules
    roots: set[GroupKey] = field(default_factory=set)
    edges: dict[GroupKey, set[GroupKey]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    _visited: set[Rule] = field(default_factory=set)

    def visit(self, node: promql.Expr, reader: Rule | None) -> None:
        if isinstance(node, promql.SubqueryExpr):
            self.reasons.append("a subquery's steps fall on multiples of its step since 1970")
        elif function_name(node) in ABSOLUTE_TIME_FUNCTIONS:
            self.reasons.append(f"{function_name(node)}() reads absolute time")
        elif isinstance(node, promql.MatrixSelector):
            self._selector(node.vector_selector, reader, f"over [{promql.display_duration(node.range)}]")
            return
        elif isinstance(node, promql.VectorSelector):
            self._selector(node, reader, None)
            return
        for child in children(node):
            self.visit(child, reader)

    def _selector(self, node: promql.VectorSelector, reader: Rule | None, window: str | None) -> None:
        if node.at is not None:
            self.reasons.append(f"{node}: `@` reads absolute time")
        name = metric_name(node)
        if name in ALERT_SERIES:
            self.reasons.append(f"reads {name}: the history of alert evaluations")
        if name is None or name not in self.rules.records:
            return
        if window or node.offset:
            self.reasons.append(f"reads record {name} {window or 'with an offset'}: its history")
            return
        for rule in self.rules.records[name]:
            if reader is None:
                self.roots.add(rule.group)
            elif reader.group != rule.group:
                self.edges.setdefault(reader.group, set()).add(rule.group)
            elif rule.index >= reader.index:
                self.reasons.append(f"reads record {name}, which its own group writes later: its previous value")
            if rule not in self._visited:
                self._visited.add(rule)
                self.visit(parse(rule.expr), rule)

    def check_cycles(self) -> None:
        """Groups that read each other's records read their previous evaluations: history too."""
        for start in self.edges:
            if start in self.reachable(start):
                self.reasons.append(f"group {start[1]} reads records that read its own: their previous values")

    def reachable(self, start: GroupKey) -> set[GroupKey]:
        """The groups whose records `start` reads, through the records they read."""
        seen: set[GroupKey] = set()
        stack = list(self.edges.get(start, ()))
        while stack:
            group = stack.pop()
            if group not in seen:
                seen.add(group)
                stack.extend(self.edges.get(group, ()))
        return seen
