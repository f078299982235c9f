"""`moncc routes` and the routing proof in `moncc test`: amtool's word on every route test and alert label set."""

from __future__ import annotations

from dataclasses import replace

from compiler.model.build import build_model
from compiler.pipeline import compile_project
from compiler.settings.project import load_project
from compiler.verify.amtool import find_amtool
from compiler.verify.routing_proof import prove_routing
from tests.conftest import ProjectFactory

RULES = """\
from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, gauge

_DOWN = RuleTest(
    "down",
    series=[gauge('up{job="db"}', 0)],
    expect=[Quiet(at="0m"), Fires(at="5m", labels={"job": "db"})],
)

db = RuleGroup(
    "db",
    rules=[
        Alert("DbDown", expr="up == 0", for_="1m", severity="critical", labels={"team": "db"}, tests=[_DOWN]),
        Alert("DbSlow", expr="up == 0", for_="1m", severity="warning", labels={"team": "db"}, tests=[_DOWN]),
    ],
)
"""

ROUTING = """\
from compiler.dsl import Alertmanager, Receiver, Route, RouteTest, Webhook

alertmanager = Alertmanager(
    route=Route(
        "default",
        group_by=["alertname"],
        routes=[
            Route("pager", matchers=['severity="critical"'], group_wait="10s", continue_=True),
            Route("chat", matchers=['severity=~"critical|warning"']),
        ],
    ),
    receivers=[
        Receiver("default"),
        Receiver("pager", [Webhook(url="http://pager.example:8080/")]),
        Receiver("chat", [Webhook(url="http://chat.example:8080/")]),
    ],
    tests=[RouteTest(labels={"severity": "critical"}, receivers=["pager", "chat"])],
)
"""


def test_moncc_routes_prints_every_alert_with_its_receivers(make_project: ProjectFactory) -> None:
    project = make_project(db=RULES, routing=ROUTING)
    result = project.run("routes")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "routing: 1 route test(s) and 2 alert label set(s) on amtool 0.25.0: all agree; 0 inhibit test(s) hold"
    )
    rows = {line.split()[0]: line for line in lines[2:]}
    assert "pager (by alertname; wait 10s); chat (by alertname; wait 30s)" in rows["DbDown"]
    assert "severity=critical" in rows["DbDown"]
    assert "chat (by alertname; wait 30s)" in rows["DbSlow"] and "pager" not in rows["DbSlow"]


def test_moncc_test_proves_the_routing_with_amtool(make_project: ProjectFactory) -> None:
    result = make_project(db=RULES, routing=ROUTING).run("test")
    assert result.exit_code == 0, result.stderr
    assert "routing: 1 route test(s) and 2 alert label set(s) on amtool 0.25.0: all agree" in result.stdout


def test_a_label_set_amtool_routes_elsewhere_is_a_problem_at_its_alert(make_project: ProjectFactory) -> None:
    """moncc's own routing and amtool agree on every real config, so the disagreement is planted: the claim for
    DbSlow says pager, which amtool refutes on the emitted file."""
    project = make_project(db=RULES, routing=ROUTING)
    compilation = compile_project(load_project(project.root))
    folder = project.root / "staged"
    for path, text in compilation.tree.files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    routing = compilation.model.routing
    assert routing is not None
    slow = next(routed for routed in routing.alerts if routed.alert == "DbSlow")
    down = next(routed for routed in routing.alerts if routed.alert == "DbDown")
    planted = replace(routing, alerts=(replace(slow, destinations=down.destinations), down))
    proof = prove_routing(planted, folder, find_amtool())
    assert [str(problem) for problem in proof.problems] == [
        f"{slow.location}: alert DbSlow: amtool routes"
        ' {alertname="DbSlow", job="db", severity="warning", team="db"} to chat; moncc expects pager, chat'
    ]
    assert build_model(load_project(project.root)).problems == ()


def test_a_receiver_whose_name_holds_a_comma_is_proven_too(make_project: ProjectFactory) -> None:
    """amtool joins the receivers with commas; a name holding one must not read as two receivers."""
    routing = ROUTING.replace('"pager"', '"db pager, on-call"')
    result = make_project(db=RULES, routing=routing).run("routes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith(": all agree; 0 inhibit test(s) hold")
