"""The model of one run: sources loaded, tests linked, SLOs expanded, dashboards adapted; built once, read by all.

emit, verify and lint consume the same frozen `Model`, so every command imports the sources exactly once and no
stage repeats another's work (or disagrees with it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from compiler.dsl.durations import parse_duration
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.slo import SLO
from compiler.load.dashboards import DashboardModule, LoadedDashboards, LocatedDashboard, load_dashboards
from compiler.load.metrics import Catalogue
from compiler.load.rules import RuleModule, load_rules
from compiler.model.dashboards.document import modern_dashboard
from compiler.model.dashboards.queries import check_dashboard_queries, check_unique_uids
from compiler.model.record_dependencies import record_dependencies
from compiler.model.routing import Routing, route_alerts
from compiler.model.slo_buckets import latency_bucket_problems
from compiler.model.test_links import ModuleTests, link_tests
from compiler.problems import Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings
from compiler.settings.project import Project
from compiler.slo import slo_rule_groups
from compiler.slo.dashboard import FOLDER as SLO_FOLDER
from compiler.slo.dashboard import slo_dashboard


@dataclass(frozen=True)
class AdaptedDashboard:
    """A dashboard of the sources (or the generated SLO dashboard) as the JSON document Grafana stores."""

    module: DashboardModule
    located: LocatedDashboard
    document: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.document.get("title", ""))

    @property
    def uid(self) -> str:
        return str(self.document["uid"])

    @property
    def location(self) -> SourceLocation:
        return self.located.location


@dataclass(frozen=True)
class Model:
    """Everything the sources declare, checked for what can be checked without artifacts."""

    project: Project
    rule_modules: tuple[RuleModule, ...]
    """Every module that emits rules, its SLOs' generated groups after its own."""
    tests: tuple[ModuleTests, ...]
    """Each rule module's tests, linked to the rules they prove (one entry per module, in the same order)."""
    dashboards: tuple[AdaptedDashboard, ...]
    catalogue: Catalogue
    problems: tuple[Problem, ...]
    """Every problem found while building the model; a model with problems is not emitted."""
    recorded_names: frozenset[str] = frozenset()
    """The name of every recording rule, generated ones included."""
    generating_slos: Mapping[int, SLO] = field(default_factory=dict)
    """The SLO that generated a group, by the group's identity (the groups live as long as the model)."""
    routing: Routing | None = None
    """The Alertmanager configuration and where every alert goes; None when the project has none."""

    def slo_of(self, group: RuleGroup) -> SLO | None:
        """The SLO whose expansion made this group, or None for a group the sources define."""
        return self.generating_slos.get(id(group))

    def rules(self) -> Iterator[Alert | Record]:
        return (rule for module in self.rule_modules for group in module.groups for rule in group.rules)


def build_model(project: Project, debug: bool = False) -> Model:
    """Load the sources and derive everything else from them; problems are collected, not raised."""
    loaded = load_rules(project.root, project.rules_dir, debug)
    generating_slos: dict[int, SLO] = {}
    modules = tuple(with_slo_groups(module, generating_slos) for module in loaded.modules)
    problems: list[Problem] = list(loaded.problems)
    problems.extend(latency_bucket_problems((slo for module in modules for slo in module.slos), loaded.catalogue))
    tests: list[ModuleTests] = []
    evaluation_interval = parse_duration(project.settings.evaluation_interval)
    for module, reads in zip(modules, record_dependencies(modules), strict=True):
        linked, link_problems = link_tests(module, evaluation_interval, reads)
        tests.append(linked)
        problems.extend(link_problems)
    routing = None
    if loaded.alertmanager is not None:
        alerts = (rule for module in modules for group in module.groups for rule in group.alerts)
        routing, routing_problems = route_alerts(loaded.alertmanager, alerts, tests)
        problems.extend(routing_problems)
    dashboard_sources = with_slo_dashboard(load_dashboards(project.root, project.dashboards_dir, debug), modules)
    problems.extend(dashboard_sources.problems)
    recorded = frozenset(rule.name for module in modules for group in module.groups for rule in group.records)
    dashboards, adaptation_problems = adapt_dashboards(dashboard_sources, project.settings.grafana, recorded)
    problems.extend(adaptation_problems)
    return Model(
        project,
        modules,
        tuple(tests),
        dashboards,
        loaded.catalogue,
        tuple(problems),
        recorded,
        generating_slos,
        routing,
    )


def adapt_dashboards(
    loaded: LoadedDashboards, settings: GrafanaSettings, recorded_names: frozenset[str]
) -> tuple[tuple[AdaptedDashboard, ...], list[Problem]]:
    """Every loaded dashboard as the document Grafana stores, and what is wrong with it: what could not be
    adapted, queries that do not parse or read variables and recording rules that do not exist, shared uids.

    A module's `external_records` name the recorded series its dashboards read that another Prometheus records,
    so a dashboard of another team's recording rules builds."""
    dashboards = []
    problems: list[Problem] = []
    for module, located in loaded.dashboards:
        modern = modern_dashboard(located.dashboard, module.name, settings)
        adapted = AdaptedDashboard(module, located, modern.document)
        problems.extend(
            Problem(f"dashboard {adapted.title!r}: {problem.message}", located.panel_location(problem.panel_title))
            for problem in modern.problems
        )
        problems.extend(
            check_dashboard_queries(
                adapted.document,
                located.panel_location,
                recorded_names | module.external_records,
                settings.datasource_type,
            )
        )
        dashboards.append(adapted)
    problems.extend(
        check_unique_uids([(dashboard.uid, dashboard.title, dashboard.location) for dashboard in dashboards])
    )
    return tuple(dashboards), problems


def with_slo_groups(module: RuleModule, generating_slos: dict[int, SLO]) -> RuleModule:
    """The module with its SLOs' generated groups after its own, as one rule file holds them; each generated
    group's SLO is noted in `generating_slos`."""
    if not module.slos:
        return module
    generated = []
    for slo in module.slos:
        for group in slo_rule_groups(slo):
            generating_slos[id(group)] = slo
            generated.append(group)
    return replace(module, groups=module.groups + tuple(generated))


def with_slo_dashboard(loaded: LoadedDashboards, modules: tuple[RuleModule, ...]) -> LoadedDashboards:
    """The loaded dashboards plus the SLO dashboard, located at the first SLO (none without SLOs)."""
    slos = [slo for module in modules for slo in module.slos]
    if not slos:
        return loaded
    first = next(module for module in modules if module.slos)
    location = first.slos[0].location
    generated = DashboardModule(
        SLO_FOLDER, location.path, first.source, SLO_FOLDER, (LocatedDashboard(slo_dashboard(slos), location),)
    )
    return LoadedDashboards((*loaded.modules, generated), loaded.problems)
