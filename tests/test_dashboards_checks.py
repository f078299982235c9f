"""Query checks: PromQL, variables, recording rules, duplicate uids; each names file:line, panel and target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grafanalib.core import Dashboard, Target, Template, Templating, TimeSeries

from compiler.emit.artifacts import ArtifactTree
from compiler.load.dashboards import DashboardModule, LoadedDashboards, LocatedDashboard, load_dashboards
from compiler.problems import SourceLocation
from compiler.promql.grafana_variables import parse_query
from tests.test_dashboards_emit import adapted_and_emitted

HERE = Path("dashboards_src/team.py")


def problems_of(*dashboards: Any, recorded: set[str] | None = None) -> list[str]:
    located = tuple(LocatedDashboard(d, SourceLocation(HERE, 10 * (i + 1))) for i, d in enumerate(dashboards))
    source = LoadedDashboards((DashboardModule("team", HERE, "dashboards_src/team.py", "team", located),), ())
    return [str(p) for p in adapted_and_emitted(ArtifactTree(), source, recorded)]


def one_query(expr: str, variables: list[Template] | None = None) -> Dashboard:
    return Dashboard(
        title="D",
        templating=Templating(variables or []),
        panels=[TimeSeries(title="Requests", targets=[Target(expr=expr)])],
    )


def test_bad_promql_names_file_line_panel_and_target() -> None:
    assert problems_of(one_query("sum(rate(x[5m])")) == [
        "dashboards_src/team.py:10: dashboard 'D': panel 'Requests' target A: expr: invalid PromQL: "
        + str(_parse_error("sum(rate(x[5m])"))
    ]


def _parse_error(expr: str) -> str:
    try:
        parse_query(expr)
    except ValueError as error:
        return str(error).removeprefix("invalid PromQL: ")
    raise AssertionError("expected a parse error")


def test_undefined_variable_is_reported() -> None:
    assert problems_of(one_query('up{job="$job"}')) == [
        "dashboards_src/team.py:10: dashboard 'D': panel 'Requests' target A: uses $job, which no dashboard "
        "variable defines; add it to templating"
    ]
    defined = one_query('up{job="$job"}', [Template(name="job", query="label_values(up, job)")])
    assert problems_of(defined) == []


def test_unknown_recording_rule_is_reported() -> None:
    dashboard = one_query("job:http_requests:rate5m")
    assert problems_of(dashboard) == [
        "dashboards_src/team.py:10: dashboard 'D': panel 'Requests' target A: reads recording rule "
        "job:http_requests:rate5m, which no rule of this build records; if another Prometheus records it, "
        "list it in the module's external_records"
    ]
    assert problems_of(dashboard, recorded={"job:http_requests:rate5m"}) == []


def test_duplicate_uid_is_reported_at_the_second_dashboard() -> None:
    assert problems_of(Dashboard(title="A", uid="same"), Dashboard(title="B", uid="same")) == [
        "dashboards_src/team.py:20: dashboard 'B': uid 'same' is also the uid of 'A' (dashboards_src/team.py:10)"
    ]


def test_loader_finds_module_level_and_listed_dashboards_with_their_lines(tmp_path: Path) -> None:
    source = tmp_path / "dashboards_src"
    source.mkdir()
    (source / "team.py").write_text(
        "from grafanalib.core import Dashboard\n"
        "\n"
        "grafana_folder = 'payments'\n"
        "main = Dashboard(title='Main')\n"
        "more = [\n"
        "    Dashboard(title='One'),\n"
        "    Dashboard(title='Two'),\n"
        "]\n"
        "_hidden = Dashboard(title='Hidden')\n"
    )
    (source / "_helpers.py").write_text("from grafanalib.core import Dashboard\nx = Dashboard(title='Helper')\n")
    (source / "broken.py").write_text("import nowhere_to_be_found\n")
    result = load_dashboards(tmp_path, source)
    (module,) = result.modules
    assert module.folder == "payments"
    assert [(d.title, d.location.line) for d in module.dashboards] == [("Main", 4), ("One", 6), ("Two", 7)]
    assert [str(p).split(": ", 1)[1] for p in result.problems] == [
        "ModuleNotFoundError: No module named 'nowhere_to_be_found'"
    ]


def test_objects_that_are_not_what_grafana_stores_are_refused_not_dropped() -> None:
    """A string among the panels, a number as a title or a query: each would vanish or load wrong in Grafana."""
    assert problems_of(Dashboard(title=5)) == [
        "dashboards_src/team.py:10: dashboard '5': title must be text, got int 5"
    ]
    assert problems_of(Dashboard(title="a", panels=["x"])) == [
        "dashboards_src/team.py:10: dashboard 'a': panels[0]: 'x' is not a panel; give a grafanalib panel such as"
        " TimeSeries(...)"
    ]
    assert problems_of(Dashboard(title="a", panels=[TimeSeries(title="t", targets=[Target(expr=5)])])) == [
        "dashboards_src/team.py:10: dashboard 'a': panel 't': targets[0].expr: 5 should be a valid string"
    ]
