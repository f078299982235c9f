"""The model is built once per command, and holds what every later stage reads."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from compiler.load import source_modules
from compiler.model.build import build_model
from compiler.problems import Problem
from compiler.settings.project import load_project
from tests.conftest import Project, ProjectFactory

RULES = """
from compiler.dsl import Alert, Fires, Quiet, Record, RuleGroup, RuleTest, SLO, RatioSLI, Alerting, counter, gauge

api = RuleGroup(
    "api",
    rules=[
        Record("job:up:sum", expr="sum by (job) (up)"),
        Alert(
            "ApiDown",
            expr='up{job="api"} == 0',
            for_="5m",
            severity="critical",
            summary="api is down",
            description="api is down",
            runbook_url="https://runbooks.example.com/ApiDown",
            tests=[
                RuleTest("down", series=[gauge('up{job="api"}', 0)], expect=[Fires(at="10m", labels={"job": "api"})]),
                RuleTest("up", series=[gauge('up{job="api"}', 1)], expect=[Quiet(at="10m")]),
            ],
        ),
    ],
)
availability = SLO(
    service="api",
    name="availability",
    objective=99.9,
    sli=RatioSLI(
        errors='sum(rate(http_requests_total{job="api", code=~"5.."}[{{window}}]))',
        total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
    ),
    alerting=Alerting(name="ApiAvailability"),
)
"""

DASHBOARD = """
from grafanalib.core import Dashboard, Target, TimeSeries

overview = Dashboard(
    title="API",
    panels=[TimeSeries(title="Up", targets=[Target(expr="job:up:sum", refId="A")], unit="short")],
)
"""


@pytest.fixture
def project(make_project: ProjectFactory) -> Project:
    project = make_project(api=RULES)
    (project.root / "dashboards_src").mkdir()
    (project.root / "dashboards_src" / "api.py").write_text(DASHBOARD, encoding="utf-8")
    return project


@pytest.mark.parametrize("command", ["build", "check", "test", "lint"])
def test_each_command_imports_every_source_module_once(
    project: Project, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    imported: Counter[str] = Counter()
    real_import = source_modules.import_source

    def counting(root: Path, path: Path, debug: bool = False) -> ModuleType | list[Problem]:
        imported[path.relative_to(project.root).as_posix()] += 1
        return real_import(root, path, debug)

    monkeypatch.setattr(source_modules, "import_source", counting)
    if command == "check":
        project.build()
        imported.clear()
    result = project.run(command)
    assert result.crash is None
    assert dict(imported) == {"rules_src/api.py": 1, "dashboards_src/api.py": 1}


def test_the_model_holds_expanded_slos_linked_tests_and_adapted_dashboards(project: Project) -> None:
    model = build_model(load_project(project.root))
    assert model.problems == ()
    [module] = model.rule_modules
    own, *generated = module.groups
    assert own.name == "api"
    assert [model.slo_of(group) for group in generated] == [module.slos[0]] * len(generated)
    assert model.slo_of(own) is None
    assert "job:up:sum" in model.recorded_names
    assert "slo:sli_error:ratio_rate5m" in model.recorded_names
    [tests] = model.tests
    assert [linked.test.name for linked in tests.tests][:2] == ["down", "up"]
    assert [dashboard.title for dashboard in model.dashboards] == ["API", "SLOs"]
    assert all(dashboard.document["schemaVersion"] == 39 for dashboard in model.dashboards)


def test_model_problems_are_collected_not_raised(make_project: ProjectFactory) -> None:
    project = make_project(
        api="""
        from compiler.dsl import Alert, Fires, RuleGroup, RuleTest, gauge

        api = RuleGroup("api", rules=[Alert("ApiDown", expr="up == 0")], tests=[
            RuleTest("t", series=[gauge("up", 0)], expect=[Fires(at="5m", alert="Missing")]),
        ])
        broken = RuleGroup("api", rules=[Alert("Other", expr="up == 0")])
        """
    )
    model = build_model(load_project(project.root))
    messages = [problem.message for problem in model.problems]
    assert len(messages) == 2, messages
    assert messages[0].startswith("group api: defined twice in this module")
    assert "Missing" in messages[1]
