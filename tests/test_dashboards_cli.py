"""Dashboard mistakes through the real CLI: one line `dashboards_src/<file>.py:<line>: ...`, exit 1, build/ untouched.

Each test starts from a project that already built (`built`), adds a `dashboards_src/` module with one mistake,
and runs `moncc build`; `Project.build_fails` checks what every rejection shares and returns the problem lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Project, ProjectFactory, source

RECORDING_RULES = """\
from compiler.dsl import Record, RuleGroup

api = RuleGroup("api", rules=[Record("job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))")])
"""

GOOD_DASHBOARD = """\
from grafanalib.core import Dashboard, Target, Template, Templating, TimeSeries

overview = Dashboard(
    title="API overview",
    templating=Templating([Template(name="job", query="label_values(up, job)", dataSource="${datasource}")]),
    panels=[
        TimeSeries(
            title="Requests",
            targets=[Target(expr='sum(rate(http_requests_total{job="$job"}[$__rate_interval]))')],
        ),
        TimeSeries(title="Recorded", targets=[Target(expr='job:http_requests:rate5m{job="$job"}')]),
    ],
)
"""


def write_dashboards(project: Project, module: str, text: str) -> Path:
    """Write `dashboards_src/<module>.py` (dedented, line 1 is the text's first line)."""
    path = project.root / "dashboards_src" / f"{module}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source(text), encoding="utf-8")
    return path


@pytest.fixture
def built(make_project: ProjectFactory) -> Project:
    """A project with a recording rule and a good dashboard, already built."""
    project = make_project(api=RECORDING_RULES)
    write_dashboards(project, "api", GOOD_DASHBOARD)
    project.build()
    assert "grafana/dashboards/api/api-api-overview.json" in project.snapshot()
    return project


def one_panel(panel: str, imports: str = "TimeSeries", templating: str = "") -> str:
    """A module whose dashboard (line 3) holds one panel (line 6)."""
    return (
        f"from grafanalib.core import Dashboard, Target, Templating, {imports}\n"
        "\n"
        "team = Dashboard(\n"
        '    title="Team",\n'
        f"    templating=Templating([{templating}]),\n"
        f"    panels=[{panel}],\n"
        ")\n"
    )


# --- part 3: what a reviewer cannot see ------------------------------------------------------------------------


def test_a_target_whose_promql_does_not_parse(built: Project) -> None:
    write_dashboards(built, "team", one_panel("TimeSeries(title='Latency', targets=[Target(expr='sum(rate(x[5m])')])"))
    assert built.build_fails() == [
        "dashboards_src/team.py:6: dashboard 'Team': panel 'Latency' target A: expr: invalid PromQL: "
        "unclosed left parenthesis"
    ]


def test_a_variable_not_defined_in_templating(built: Project) -> None:
    write_dashboards(
        built,
        "team",
        one_panel("TimeSeries(title='Up', targets=[Target(expr='up{instance=\"$instance\"}', refId='Q')])"),
    )
    assert built.build_fails() == [
        "dashboards_src/team.py:6: dashboard 'Team': panel 'Up' target Q: uses $instance, which no dashboard "
        "variable defines; add it to templating"
    ]


def test_a_recording_rule_no_rule_of_the_build_records(built: Project) -> None:
    write_dashboards(
        built, "team", one_panel("TimeSeries(title='Errors', targets=[Target(expr='job:http_errors:ratio_rate5m')])")
    )
    assert built.build_fails() == [
        "dashboards_src/team.py:6: dashboard 'Team': panel 'Errors' target A: reads recording rule "
        "job:http_errors:ratio_rate5m, which no rule of this build records; if another Prometheus records it, "
        "list it in the module's external_records"
    ]


def test_a_panel_grafanas_model_refuses_is_reported_at_the_panels_line(built: Project) -> None:
    panel = (
        "Stat(title='Uptime', targets=[Target(expr='up')], "
        "extraJson={'options': {'reduceOptions': {'calcs': ['avg']}, 'colorMode': 'rainbow'}})"
    )
    write_dashboards(built, "team", one_panel(panel, "Stat"))
    assert built.build_fails() == [
        "dashboards_src/team.py:6: dashboard 'Team': panel 'Uptime': options.reduceOptions.calcs: 'avg' is not a "
        "reduction Grafana knows (lastNotNull, last, firstNotNull, first, min, max, mean, median, ..., p1-p99)",
        "dashboards_src/team.py:6: dashboard 'Team': panel 'Uptime': options.colorMode: 'rainbow' is not one "
        "of 'value', 'background', 'background_solid', 'none'",
    ]


def test_a_panels_line_is_read_from_the_module_as_it_is_now(built: Project) -> None:
    panel = "TimeSeries(title='Latency', targets=[Target(expr='rate(x[5m]')])"
    write_dashboards(built, "team", one_panel(panel))
    assert [line.split(":")[1] for line in built.build_fails()] == ["6"]
    write_dashboards(built, "team", "# the panel moved\n# two lines down\n" + one_panel(panel))
    assert [line.split(":")[1] for line in built.build_fails()] == ["8"]


def test_a_dashboard_of_the_typed_grafana_model_builds_like_a_grafanalib_one(built: Project) -> None:
    write_dashboards(
        built,
        "team",
        """
        from compiler.grafana.dashboard import Dashboard
        from compiler.grafana.panels.stat import StatPanel
        from compiler.grafana.targets import PrometheusQuery

        team = Dashboard(title="Team", panels=[StatPanel(title="Up", targets=[PrometheusQuery(expr="up")])])
        """,
    )
    built.build()
    document = json.loads(built.snapshot()["grafana/dashboards/team/team-team.json"])
    [panel] = document["panels"]
    assert panel["options"]["reduceOptions"] == {"calcs": ["lastNotNull"]}
    assert panel["targets"][0]["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    assert document["templating"]["list"][0]["name"] == "datasource"


def test_a_recording_rule_another_prometheus_records_is_listed_in_external_records(built: Project) -> None:
    panel = "TimeSeries(title='Errors', targets=[Target(expr='job:http_errors:ratio_rate5m')])"
    write_dashboards(built, "team", one_panel(panel) + 'external_records = ["job:http_errors:ratio_rate5m"]\n')
    built.build()
    assert "grafana/dashboards/team/team-team.json" in built.snapshot()
    write_dashboards(built, "team", one_panel(panel) + 'external_records = ["job:errors ratio"]\n')
    assert built.build_fails() == [
        "dashboards_src/team.py:8: external_records: invalid metric name 'job:errors ratio': must match "
        "[a-zA-Z_:][a-zA-Z0-9_:]*"
    ]


def test_two_dashboards_sharing_a_uid(built: Project) -> None:
    write_dashboards(
        built,
        "team",
        """
        from grafanalib.core import Dashboard

        first = Dashboard(title="First", uid="shared")
        second = Dashboard(title="Second", uid="shared")
        """,
    )
    assert built.build_fails() == [
        "dashboards_src/team.py:4: dashboard 'Second': uid 'shared' is also the uid of 'First' "
        "(dashboards_src/team.py:3)"
    ]


def test_a_uid_shared_across_modules_and_every_problem_of_a_run_reported(built: Project) -> None:
    write_dashboards(built, "a", "from grafanalib.core import Dashboard\n\nd = Dashboard(title='A', uid='same')\n")
    write_dashboards(
        built, "b", one_panel("TimeSeries(title='P', targets=[Target(expr='rate(x[5m]')])").replace("Team", "B")
    )
    write_dashboards(built, "c", "from grafanalib.core import Dashboard\n\nd = Dashboard(title='C', uid='same')\n")
    problems = built.build_fails()
    assert problems == [
        "dashboards_src/b.py:6: dashboard 'B': panel 'P' target A: expr: invalid PromQL: unclosed left parenthesis",
        "dashboards_src/c.py:3: dashboard 'C': uid 'same' is also the uid of 'A' (dashboards_src/a.py:3)",
    ]


# --- parts 2 and 4: rejected panels, uids and ConfigMaps -----------------------------------------------------


@pytest.mark.parametrize(
    ("panel", "imports", "replacement"),
    [
        ("Graph(title='Old graph', targets=[Target(expr='up')])", "Graph", "use TimeSeries (panel type 'timeseries')"),
        ("SingleStat(title='Old stat', targets=[Target(expr='up')])", "SingleStat", "use Stat (panel type 'stat')"),
        (
            "Table(title='Old table', targets=[Target(expr='up')], extraJson={'type': 'table-old'})",
            "Table",
            "use Table, grafanalib's newer table panel (panel type 'table')",
        ),
    ],
)
def test_angular_panels_are_rejected_naming_the_modern_replacement(
    built: Project, panel: str, imports: str, replacement: str
) -> None:
    write_dashboards(built, "team", one_panel(panel, imports))
    title = panel.split("'")[1]
    old_type = {"Graph": "graph", "SingleStat": "singlestat", "Table": "table-old"}[imports]
    assert built.build_fails() == [
        f"dashboards_src/team.py:6: dashboard 'Team': panel '{title}': panel type '{old_type}' needs AngularJS, "
        f"which Grafana 11 turns off; {replacement} instead"
    ]


def test_a_configmap_over_one_mebibyte(built: Project) -> None:
    write_dashboards(
        built,
        "team",
        """
        from grafanalib.core import Dashboard, Text

        notes = Dashboard(title="Runbook", uid="runbook", panels=[Text(title="All of it", content="x" * 1_100_000)])
        """,
    )
    (problem,) = built.build_fails()
    assert problem.startswith("dashboards_src/team.py:3: dashboard 'runbook': its ConfigMap would hold ")
    assert problem.endswith(" bytes, over Kubernetes' 1 MiB limit (1048576 bytes); split the dashboard")


@pytest.mark.parametrize(
    "uid",
    ["../../etc/passwd", "has space", "x" * 41, "slash/inside", "dot.dot"],
)
def test_an_unsafe_or_invalid_uid(built: Project, uid: str) -> None:
    write_dashboards(built, "team", f"from grafanalib.core import Dashboard\n\nd = Dashboard(title='T', uid={uid!r})\n")
    assert built.build_fails() == [
        f"dashboards_src/team.py:3: dashboard 'T': uid {uid!r} must be 1 to 40 letters, digits, '-' or '_'"
    ]


# --- moncc check, determinism --------------------------------------------------------------------------------


def test_check_passes_after_a_build_and_names_the_stale_dashboard_after_an_edit(built: Project) -> None:
    result = built.run("check")
    assert (result.exit_code, result.crash) == (0, None), result.stderr
    write_dashboards(built, "api", GOOD_DASHBOARD.replace('title="Requests"', 'title="Request rate"'))
    result = built.run("check")
    assert result.crash is None
    assert result.exit_code == 1
    assert result.problems == [
        "build/grafana/dashboards/api/api-api-overview.json: out of date: differs from what the sources produce; "
        "run `moncc build` and commit build/",
        "build/kubernetes/dashboards/api-api-overview.yaml: out of date: differs from what the sources produce; "
        "run `moncc build` and commit build/",
    ]


def test_check_names_a_dashboard_the_sources_no_longer_produce(built: Project) -> None:
    (built.root / "dashboards_src" / "api.py").unlink()
    result = built.run("check")
    assert result.exit_code == 1
    assert "build/grafana/dashboards/api/api-api-overview.json: left over: the sources no longer produce it; " in (
        result.stderr
    )


def test_two_builds_are_byte_identical(built: Project) -> None:
    first = built.snapshot()
    built.build()
    assert built.snapshot() == first
    dashboards = {path for path in first if path.startswith(("grafana/", "kubernetes/dashboards/"))}
    assert dashboards == {
        "grafana/dashboards/api/api-api-overview.json",
        "grafana/provisioning/dashboards.yaml",
        "grafana/provisioning/datasources.yaml",
        "kubernetes/dashboards/api-api-overview.yaml",
    }
