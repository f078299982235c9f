"""What lint checks look at: rules with their group and module, PromQL queries, dashboard panels, and the
Alertmanager configuration with every alert moncc routes through it.

Each subject knows where it was written, so a check can point at the exact line (`at`), and which checks
its author turned off (`ignored`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any, ClassVar

import promql_parser

from compiler.dsl.alertmanager.config import Alertmanager
from compiler.dsl.alertmanager.matchers import Matcher
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.slo import SLO
from compiler.lint.positions import keyword_line, text_line
from compiler.load.metrics import Catalogue
from compiler.model.routing import RoutedAlert, Routing
from compiler.problems import SourceLocation
from compiler.promql.labels import Labelled
from compiler.promql.nodes import walk
from compiler.settings.lint import LintSettings


@dataclass(frozen=True)
class LintContext:
    """What checks know about the repository beyond the subject in hand."""

    settings: LintSettings
    catalogue: Catalogue
    """The declared metrics, with the target labels and the recording rules (`Catalogue.with_rules`)."""
    evaluation_interval: timedelta
    """The global evaluation interval; a group's own `interval` overrides it."""
    _walked: dict[int, tuple[Query, list[Labelled]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def labels(self, query: Query) -> Labelled:
        """The query's syntax tree with the labels of each node's result, inferred once for every check."""
        return self.catalogue.labelled(query.ast)

    def labelled_nodes(self, query: Query) -> Sequence[Labelled]:
        """Every node of `labels(query)`, parents before children (`Labelled.walk`), listed once for every check."""
        found = self._walked.get(id(query))
        if found is None or found[0] is not query:
            found = (query, self.labels(query).walk())
            self._walked[id(query)] = found
        return found[1]


@dataclass(frozen=True)
class Query:
    """A PromQL expression under lint: a rule's `expr` or the query of a dashboard panel."""

    expr: str
    ast: promql_parser.Expr
    owner: str
    """How messages name what holds the query: `alert HighErrorRate`, `dashboard 'API' panel 'Latency' query A`."""
    location: SourceLocation
    ignored: Mapping[str, str] = field(default_factory=dict)
    in_dashboard: bool = False
    rule: Alert | Record | None = None
    """The rule whose `expr` this is; None for a dashboard's query."""

    @cached_property
    def nodes(self) -> tuple[promql_parser.Expr, ...]:
        """Every node of the syntax tree as `walk` yields them (a subtree's nodes follow its root), built once
        for all the checks: each access to the parser's tree makes new objects, so walking it is not cheap."""
        return tuple(walk(self.ast))

    @property
    def selectors(self) -> Iterator[promql_parser.VectorSelector]:
        return (node for node in self.nodes if isinstance(node, promql_parser.VectorSelector))

    def at(self, text: str) -> SourceLocation:
        """The line of the source that holds `text` (a selector, a function call), else the query's own line."""
        return text_line(self.location, text)

    def at_first(self, *texts: str) -> SourceLocation:
        """The line of the first of `texts` the source holds, else the query's own line. List the exact
        spelling first and its parts after (`job=~".*"`, then `job=~`): a part is never found later than the whole."""
        for text in texts:
            found = self.at(text)
            if found != self.location:
                return found
        return self.location


@dataclass(frozen=True)
class LintedRule:
    """An alerting or recording rule, the group it sits in, and its query."""

    rule: Alert | Record
    group: RuleGroup
    query: Query
    slo: SLO | None = None
    """The SLO this rule was generated for, if it was."""

    @property
    def location(self) -> SourceLocation:
        return self.rule.location

    @property
    def alert(self) -> Alert:
        """The rule, for checks that only ever see alerting rules."""
        if not isinstance(self.rule, Alert):
            raise TypeError(f"{self.rule.title} is not an alerting rule")
        return self.rule

    def at(self, keyword: str) -> SourceLocation:
        """The line of the rule's `keyword=` argument, else the rule's own line."""
        return keyword_line(self.rule.location, keyword)

    def entry_at(self, name: str) -> SourceLocation:
        """The line of the rule's `name=` keyword, else of a `"name":` entry of its labels or annotations
        dictionary, else the rule's own line."""
        return entry_line(self.rule, name)

    def missing_at(self) -> SourceLocation:
        """Where a label or annotation the rule lacks belongs: the rule's line, or for an SLO's alert, the
        line of the SLO's `alerting=` argument."""
        return self.at("alerting") if self.slo is not None else self.rule.location

    def evaluation_interval(self, context: LintContext) -> timedelta:
        return self.group.interval or context.evaluation_interval


def linted_rule(rule: Alert | Record, group: RuleGroup, ast: promql_parser.Expr, slo: SLO | None = None) -> LintedRule:
    ignored = {**group.lint_ignore, **rule.lint_ignore}
    return LintedRule(rule, group, Query(rule.expr, ast, rule.title, rule.location, ignored, rule=rule), slo)


def entry_line(rule: Alert | Record, name: str) -> SourceLocation:
    """The line of the rule's `name=` keyword, else of a `"name":` entry of its labels or annotations
    dictionary, else the rule's own line."""
    found = keyword_line(rule.location, name)
    for quote in "\"'":
        if found == rule.location:
            found = text_line(rule.location, f"{quote}{name}{quote}:")
    return found


@dataclass(frozen=True)
class LintedPanel:
    """A panel of an emitted dashboard (Grafana 11 JSON), located at the line that holds its title."""

    panel: Mapping[str, Any]
    dashboard: str
    dashboard_location: SourceLocation
    ignored: Mapping[str, str]

    @property
    def title(self) -> str:
        return str(self.panel.get("title") or "")

    @property
    def owner(self) -> str:
        return f"dashboard {self.dashboard!r} panel {self.title or '(untitled)'!r}"

    @cached_property
    def location(self) -> SourceLocation:
        return text_line(self.dashboard_location, repr(self.title)[1:-1]) if self.title else self.dashboard_location

    def at(self, text: str) -> SourceLocation:
        """The line in the panel's dashboard source holding `text`, else the panel's line."""
        found = text_line(self.dashboard_location, text)
        return found if found != self.dashboard_location else self.location


@dataclass(frozen=True)
class LintedRouting:
    """The project's Alertmanager configuration and every label set of every alert moncc routes through it:
    those the alert's tests show it firing with, else its own labels (`compiler/model/routing.py`).

    A label value that is a template (`team="{{ $labels.owner }}"`) is known only once the alert fires: a
    matcher on it may match or not, so checks ask `may_match` or `surely_matches` as their finding needs.
    """

    routing: Routing
    owner: ClassVar[str] = "alertmanager"

    @property
    def alertmanager(self) -> Alertmanager:
        return self.routing.alertmanager

    @property
    def alerts(self) -> tuple[RoutedAlert, ...]:
        return self.routing.alerts

    @cached_property
    def carried(self) -> frozenset[str]:
        """Every label some alert carries, and those Prometheus adds to all of them (`external_labels`)."""
        names = {name for alert in self.alerts for name in alert.labels}
        return frozenset(names | set(self.alertmanager.external_labels))


def route_title(route: Route) -> str:
    """How messages name a route: `route 'pager' (severity="critical")`, its line telling equal ones apart."""
    named = f"route {route.receiver!r}" if route.receiver else "route"
    matchers = ", ".join(str(matcher) for matcher in route.matchers)
    return f"{named} ({matchers})" if matchers else named


def may_match(matchers: Iterable[Matcher], labels: Mapping[str, str]) -> bool:
    """Whether the labels can satisfy every matcher, a templated value satisfying any."""
    return all(_templated(labels, matcher) or matcher.matches(labels) for matcher in matchers)


def surely_matches(matchers: Iterable[Matcher], labels: Mapping[str, str]) -> bool:
    """Whether the labels satisfy every matcher whatever their templated values become."""
    return all(not _templated(labels, matcher) and matcher.matches(labels) for matcher in matchers)


def _templated(labels: Mapping[str, str], matcher: Matcher) -> bool:
    return "{{" in labels.get(matcher.name, "")
