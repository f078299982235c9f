"""`moncc build` writes build/alertmanager/ from a project's Alertmanager DSL, and the real amtool checks it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.verify.amtool import find_amtool
from tests.conftest import ProjectFactory, source

ALERTS = """
    from compiler.dsl import Alert, Fires, Quiet, RuleGroup, RuleTest, gauge

    queues = RuleGroup(
        "queues",
        rules=[
            Alert(
                "QueueBacklog",
                expr="queue_depth > 100",
                for_="5m",
                severity="warning",
                labels={"team": "db"},
                tests=[
                    RuleTest(
                        "fires on a backlog",
                        series=[gauge('queue_depth{queue="orders"}', 500)],
                        expect=[Quiet(at="3m"), Fires(at="10m", labels={"queue": "orders"})],
                    )
                ],
            ),
            Alert(
                "QueueStuck",
                expr="queue_depth > 1000",
                for_="5m",
                severity="critical",
                labels={"team": "db"},
                tests=[
                    RuleTest(
                        "fires when stuck",
                        series=[gauge('queue_depth{queue="orders"}', 5000)],
                        expect=[Fires(at="10m", labels={"queue": "orders"})],
                    )
                ],
            ),
        ],
    )
    """

ROUTING = """
    from compiler.dsl import (
        Alertmanager,
        Email,
        Global,
        InhibitRule,
        Opsgenie,
        PagerDuty,
        Period,
        Receiver,
        Route,
        Secret,
        Slack,
        Template,
        TimeInterval,
        Webhook,
    )

    alertmanager = Alertmanager(
        global_=Global(
            resolve_timeout="5m",
            smtp_from="alertmanager@example.com",
            smtp_smarthost="smtp.example.com:587",
            smtp_auth_username="alertmanager",
            smtp_auth_password=Secret("smtp", "password"),
            smtp_require_tls=True,
            slack_api_url=Secret("slack", "api-url"),
            pagerduty_url="https://events.pagerduty.com/v2/enqueue",
            opsgenie_api_url="https://api.eu.opsgenie.com/",
            opsgenie_api_key=Secret("opsgenie", "api-key"),
        ),
        route=Route(
            "default",
            group_by=["alertname", "team"],
            group_wait="30s",
            group_interval="5m",
            repeat_interval="4h",
            routes=[
                Route("pager", matchers=['severity="critical"'], group_by=["..."], continue_=True),
                Route(
                    "chat",
                    matchers=['severity=~"critical|warning"'],
                    mute_time_intervals=["maintenance"],
                    routes=[Route("mail", matchers=['team="db"'], active_time_intervals=["office-hours"])],
                ),
            ],
        ),
        receivers=[
            Receiver("default"),
            Receiver(
                "pager",
                [
                    PagerDuty(routing_key=Secret("pagerduty", "routing-key"), severity="critical"),
                    PagerDuty(service_key=Secret("pagerduty", "service-key")),
                    Opsgenie(api_key=Secret("opsgenie", "team-key"), priority="P1"),
                    Webhook(url="http://incident-bot.example.com/alerts", max_alerts=10),
                ],
            ),
            Receiver("chat", [Slack(channel="#db", title='{{ template "chat.title" . }}', send_resolved=True)]),
            Receiver(
                "mail",
                [Email(to="db@example.com", auth_username="db", auth_password=Secret("smtp", "db"), require_tls=True)],
            ),
        ],
        inhibit_rules=[InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["team"])],
        time_intervals=[
            TimeInterval("office-hours", [Period(times=["09:00-17:00"], weekdays=["monday:friday"])]),
            TimeInterval("maintenance", [Period(days_of_month=["1"], months=["january:march"], years=["2026:2027"])]),
        ],
        templates=[Template("chat.tmpl", '{{ define "chat.title" }}[{{ .Status }}] {{ .CommonLabels.alertname }}{{ end }}')],
    )
    """

ROUTE_TO_ONE = """
    from compiler.dsl import Alertmanager, MsTeams, Receiver, Route, Secret, Template, Webhook

    alertmanager = Alertmanager(
        route=Route("default", routes=[Route("hook", matchers=['severity=~"critical|warning"'])]),
        receivers=[
            Receiver("default"),
            Receiver("hook", [{integration}]),
        ],
        templates=[{templates}],
    )
    """
"""A configuration with one integration (and templates) to show what amtool makes of them."""

PLAIN_WEBHOOK = 'Webhook(url="http://hook.example.com/")'


CONFIG = "alertmanager/alertmanager.yaml"


def line_of(text: str, needle: str) -> int:
    """The line of the source module (as the project holds it) that first holds `needle`."""
    return next(number for number, line in enumerate(source(text).splitlines(), 1) if needle in line)


def amtool_version() -> tuple[int, int]:
    found = re.match(r"(\d+)\.(\d+)", find_amtool().version)
    assert found, find_amtool().version
    return int(found[1]), int(found[2])


def check_config(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*find_amtool().command, "check-config", str(config)], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.fixture
def no_amtool(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """amtool is not installed: $AMTOOL names a command that does not exist (the lookup is cached per run)."""
    monkeypatch.setenv("AMTOOL", "/nonexistent/amtool")
    find_amtool.cache_clear()
    yield
    find_amtool.cache_clear()


def test_a_routing_module_builds_a_configuration_amtool_accepts(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project(alerts=ALERTS, routing=ROUTING)
    project.build()
    files = project.snapshot()
    assert {CONFIG, "alertmanager/templates/chat.tmpl"} <= set(files)
    text = project.read(CONFIG)
    assert text.startswith("# Generated by moncc from rules_src/routing.py. Do not edit:")
    assert "templates:\n- templates/chat.tmpl\n" in text
    assert "routing_key_file: /etc/alertmanager/secrets/pagerduty/routing-key\n" in text
    checked = check_config(project.build_dir / CONFIG, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert " - 4 receivers\n - 1 templates\n" in checked.stdout


def test_amtool_finds_the_templates_beside_the_configuration(make_project: ProjectFactory, tmp_path: Path) -> None:
    """Alertmanager reads `templates/chat.tmpl` relative to the config file, wherever it is started from."""
    project = make_project(alerts=ALERTS, routing=ROUTING)
    project.build()
    copy = tmp_path / "deployed"
    shutil.copytree(project.build_dir / "alertmanager", copy)
    (copy / "templates" / "chat.tmpl").write_text('{{ define "chat.title" }}{{ .Status ', encoding="utf-8")
    checked = check_config(copy / "alertmanager.yaml", cwd=tmp_path)
    assert checked.returncode != 0
    assert "template: chat.tmpl:1:" in checked.stdout


def test_the_configuration_is_the_same_on_every_build(make_project: ProjectFactory) -> None:
    """Two runs of moncc hash strings differently (PYTHONHASHSEED): built in one process twice, an order that
    came from a set would not show; built by two processes with other seeds, it does."""
    project = make_project(alerts=ALERTS, routing=ROUTING)
    built = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "compiler", "--project", str(project.root), "build"],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
            cwd=project.root,
        )
        assert result.returncode == 0, result.stderr
        kept = ("alertmanager/", "kubernetes/alertmanagerconfigs/")
        built.append({path: text for path, text in project.snapshot().items() if path.startswith(kept)})
    assert built[0] == built[1]
    assert "kubernetes/alertmanagerconfigs/routing.yaml" in built[0]


@pytest.mark.skipif(amtool_version() >= (0, 26), reason="amtool 0.26 and newer know webhook_configs url_file")
def test_a_webhook_url_from_a_secret_needs_alertmanager_0_26(make_project: ProjectFactory) -> None:
    routing = ROUTE_TO_ONE.format(integration='Webhook(url=Secret("hooks", "url"))', templates="")
    project = make_project(alerts=ALERTS, routing=routing)
    version = find_amtool().version
    assert project.build_fails() == [
        f"rules_src/routing.py:{line_of(routing, 'Webhook(url=')}: amtool {version} check-config {CONFIG}: yaml:"
        " unmarshal errors: line 12: field url_file not found in type config.plain; a Webhook url from a Secret"
        f" (webhook_configs url_file) needs Alertmanager 0.26 or newer, and the installed amtool is {version}"
        " (point $AMTOOL at a newer one, or leave the feature out)"
    ]


@pytest.mark.skipif(amtool_version() >= (0, 27), reason="amtool 0.27 and newer know msteams_configs webhook_url_file")
def test_microsoft_teams_needs_alertmanager_0_27(make_project: ProjectFactory) -> None:
    routing = ROUTE_TO_ONE.format(integration='MsTeams(webhook_url=Secret("teams", "url"))', templates="")
    project = make_project(alerts=ALERTS, routing=routing)
    [problem] = project.build_fails()
    assert problem.startswith(f"rules_src/routing.py:{line_of(routing, 'MsTeams(webhook_url=')}: amtool ")
    assert "needs Alertmanager 0.27 or newer, and the installed amtool is " in problem


def test_what_amtool_refuses_beyond_the_dsl_is_reported_at_the_source(make_project: ProjectFactory) -> None:
    """`humanize` is Prometheus's, not Alertmanager's: the template would fail to load, so Alertmanager would not
    start."""
    broken = """Template("count.tmpl", '{{ define "count" }}{{ humanize 3 }}{{ end }}')"""
    routing = ROUTE_TO_ONE.format(integration=PLAIN_WEBHOOK, templates=broken)
    project = make_project(alerts=ALERTS, routing=routing)
    version = find_amtool().version
    assert project.build_fails() == [
        f"rules_src/routing.py:{line_of(routing, 'count.tmpl')}: amtool {version} check-config {CONFIG}:"
        ' template: count.tmpl:1: function "humanize" not defined'
    ]


@pytest.mark.usefixtures("no_amtool")
def test_without_amtool_a_configuration_cannot_be_checked(make_project: ProjectFactory) -> None:
    routing = ROUTE_TO_ONE.format(integration=PLAIN_WEBHOOK, templates="")
    project = make_project(alerts=ALERTS, routing=routing)
    [problem] = project.build_fails()
    assert problem.startswith(f"rules_src/routing.py:{line_of(routing, 'Alertmanager(')}: amtool not found")
    assert "apt-get install prometheus-alertmanager" in problem


@pytest.mark.usefixtures("no_amtool")
def test_a_project_without_alertmanager_needs_no_amtool(make_project: ProjectFactory) -> None:
    project = make_project(alerts=ALERTS)
    project.build()
    assert not (project.build_dir / "alertmanager").exists()


def test_without_the_alertmanagerconfig_a_time_zone_builds(make_project: ProjectFactory) -> None:
    """v1alpha1 has no time zone; a team that deploys alertmanager.yaml itself turns the object off."""
    routing = ROUTING.replace('weekdays=["monday:friday"]', 'weekdays=["monday:friday"], time_zone="Europe/Berlin"')
    refused = make_project(alerts=ALERTS, routing=routing)
    [problem] = refused.build_fails()
    assert "time_zone='Europe/Berlin' cannot be written to an AlertmanagerConfig" in problem
    project = make_project(
        alerts=ALERTS,
        routing=routing,
        pyproject='[project]\nname = "p"\n\n[tool.moncc.kubernetes]\nalertmanager_config = false\n',
    )
    project.build()
    assert "location: Europe/Berlin" in project.read(CONFIG)
    assert not [path for path in project.snapshot() if path.startswith("kubernetes/alertmanagerconfigs/")]
