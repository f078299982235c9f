"""alertmanager.yaml from the Alertmanager DSL: every field in Alertmanager 0.25's words, secrets only as files."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import yaml

from compiler.dsl import (
    Alertmanager,
    Email,
    Global,
    InhibitRule,
    MsTeams,
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
from compiler.dsl.alertmanager import receivers
from compiler.dsl.alertmanager.receivers import Integration
from compiler.emit.alertmanager_config import (
    GLOBAL_FIELDS,
    INTEGRATIONS,
    AlertmanagerConfig,
    emit_alertmanager,
)
from compiler.emit.artifacts import ArtifactTree
from compiler.model.build import build_model
from compiler.settings.project import load_project
from tests.conftest import GOOD_MODULE, ProjectFactory

CONFIG = PurePosixPath("alertmanager/alertmanager.yaml")


def everything() -> Alertmanager:
    """Every DSL field set at least once."""
    return Alertmanager(
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
            opsgenie_api_key=Secret("opsgenie", "api-key", file="/run/secrets/opsgenie-key"),
        ),
        route=Route(
            "default",
            group_by=["alertname", "team"],
            group_wait="30s",
            group_interval="5m",
            repeat_interval="4h",
            routes=[
                Route(
                    "pager",
                    matchers=['severity="critical"'],
                    group_by=["..."],
                    continue_=True,
                    active_time_intervals=["office-hours"],
                ),
                Route(
                    "chat",
                    matchers=['severity=~"critical|warning"', 'team!="ops"'],
                    mute_time_intervals=["maintenance"],
                    routes=[Route("mail", matchers=['team="db"'], repeat_interval="1d")],
                ),
            ],
        ),
        receivers=[
            Receiver("default"),
            Receiver(
                "pager",
                [
                    PagerDuty(
                        routing_key=Secret("pagerduty", "routing-key"),
                        severity="critical",
                        description="{{ .CommonLabels.alertname }}",
                    ),
                    PagerDuty(service_key=Secret("pagerduty", "service-key")),
                    Opsgenie(
                        api_key=Secret("opsgenie", "team-key"),
                        message="{{ .CommonLabels.alertname }}",
                        priority="P1",
                        send_resolved=False,
                    ),
                    Webhook(url="http://bot.example.com/alerts", max_alerts=10),
                ],
            ),
            Receiver(
                "chat",
                [
                    Slack(
                        api_url=Secret("slack", "chat-url"),
                        channel="#alerts",
                        title='{{ template "slack.title" . }}',
                        text="{{ .CommonAnnotations.summary }}",
                        send_resolved=True,
                    ),
                    MsTeams(
                        webhook_url=Secret("teams", "webhook-url"),
                        title="Alerts",
                        text="{{ .CommonAnnotations.summary }}",
                    ),
                ],
            ),
            Receiver(
                "mail",
                [
                    Email(
                        to="db@example.com",
                        from_="am@example.com",
                        smarthost="mail.example.com:25",
                        auth_username="am",
                        auth_password=Secret("smtp", "db-password"),
                        require_tls=False,
                    ),
                    Webhook(url=Secret("hooks", "db-url")),
                ],
            ),
        ],
        inhibit_rules=[
            InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["alertname", "team"])
        ],
        time_intervals=[
            TimeInterval(
                "office-hours",
                [Period(times=["09:00-17:00"], weekdays=["monday:friday"], time_zone="Europe/Berlin")],
            ),
            TimeInterval(
                "maintenance",
                [
                    Period(days_of_month=["1", "-3:-1"], months=["january:march", "december"], years=["2026:2027"]),
                    Period(weekdays=["sunday"]),
                ],
            ),
        ],
        templates=[
            Template("slack.tmpl", '{{ define "slack.title" }}[{{ .Status }}] {{ .CommonLabels.alertname }}{{ end }}\n')
        ],
    )


EVERYTHING = """\
# Generated by moncc from rules_src/routing.py. Do not edit: change the source and run `moncc build`.
global:
  resolve_timeout: 5m
  smtp_from: alertmanager@example.com
  smtp_smarthost: smtp.example.com:587
  smtp_auth_username: alertmanager
  smtp_auth_password_file: /etc/alertmanager/secrets/smtp/password
  smtp_require_tls: true
  slack_api_url_file: /etc/alertmanager/secrets/slack/api-url
  pagerduty_url: https://events.pagerduty.com/v2/enqueue
  opsgenie_api_url: https://api.eu.opsgenie.com/
  opsgenie_api_key_file: /run/secrets/opsgenie-key
templates:
- templates/slack.tmpl
route:
  receiver: default
  group_by:
  - alertname
  - team
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
  - receiver: pager
    matchers:
    - severity="critical"
    group_by:
    - '...'
    continue: true
    active_time_intervals:
    - office-hours
  - receiver: chat
    matchers:
    - severity=~"critical|warning"
    - team!="ops"
    mute_time_intervals:
    - maintenance
    routes:
    - receiver: mail
      matchers:
      - team="db"
      repeat_interval: 1d
receivers:
- name: default
- name: pager
  pagerduty_configs:
  - routing_key_file: /etc/alertmanager/secrets/pagerduty/routing-key
    severity: critical
    description: '{{ .CommonLabels.alertname }}'
  - service_key_file: /etc/alertmanager/secrets/pagerduty/service-key
  webhook_configs:
  - url: http://bot.example.com/alerts
    max_alerts: 10
  opsgenie_configs:
  - send_resolved: false
    api_key_file: /etc/alertmanager/secrets/opsgenie/team-key
    message: '{{ .CommonLabels.alertname }}'
    priority: P1
- name: chat
  slack_configs:
  - send_resolved: true
    api_url_file: /etc/alertmanager/secrets/slack/chat-url
    channel: '#alerts'
    title: '{{ template "slack.title" . }}'
    text: '{{ .CommonAnnotations.summary }}'
  msteams_configs:
  - webhook_url_file: /etc/alertmanager/secrets/teams/webhook-url
    title: Alerts
    text: '{{ .CommonAnnotations.summary }}'
- name: mail
  email_configs:
  - to: db@example.com
    from: am@example.com
    smarthost: mail.example.com:25
    auth_username: am
    auth_password_file: /etc/alertmanager/secrets/smtp/db-password
    require_tls: false
  webhook_configs:
  - url_file: /etc/alertmanager/secrets/hooks/db-url
inhibit_rules:
- source_matchers:
  - severity="critical"
  target_matchers:
  - severity="warning"
  equal:
  - alertname
  - team
time_intervals:
- name: office-hours
  time_intervals:
  - times:
    - start_time: 09:00
      end_time: '17:00'
    weekdays:
    - monday:friday
    location: Europe/Berlin
- name: maintenance
  time_intervals:
  - days_of_month:
    - '1'
    - -3:-1
    months:
    - january:march
    - december
    years:
    - 2026:2027
  - weekdays:
    - sunday
"""

SECRET_KEYS = {
    "smtp_auth_password",
    "slack_api_url",
    "opsgenie_api_key",
    "api_url",
    "routing_key",
    "service_key",
    "auth_password",
    "api_key",
    "webhook_url",
}
"""Alertmanager's inline secret fields: moncc writes none of them."""


def emitted(config: Alertmanager) -> ArtifactTree:
    tree = ArtifactTree()
    emit_alertmanager(tree, config, "rules_src/routing.py")
    return tree


def test_every_field_in_alertmanager_words() -> None:
    tree = emitted(everything())
    assert tree.problems == []
    assert tree.files[CONFIG] == EVERYTHING


def test_templates_are_written_beside_the_config_that_names_them_relatively() -> None:
    tree = emitted(everything())
    template = PurePosixPath("alertmanager/templates/slack.tmpl")
    assert list(tree.files) == [CONFIG, template]
    assert tree.files[template] == '{{ define "slack.title" }}[{{ .Status }}] {{ .CommonLabels.alertname }}{{ end }}\n'
    assert yaml.safe_load(tree.files[CONFIG])["templates"] == ["templates/slack.tmpl"]


def test_unset_fields_are_left_out() -> None:
    config = Alertmanager(
        route=Route("default", routes=[Route("hook", matchers=['severity="page"'])]),
        receivers=[Receiver("default"), Receiver("hook", [Webhook(url="http://hook.example.com/")])],
    )
    assert emitted(config).files[CONFIG].split("\n", 1)[1] == (
        "route:\n"
        "  receiver: default\n"
        "  routes:\n"
        "  - receiver: hook\n"
        "    matchers:\n"
        '    - severity="page"\n'
        "receivers:\n"
        "- name: default\n"
        "- name: hook\n"
        "  webhook_configs:\n"
        "  - url: http://hook.example.com/\n"
    )


def test_secrets_appear_only_as_the_files_alertmanager_reads() -> None:
    config = everything()
    document = yaml.safe_load(emitted(config).files[CONFIG])
    keys = set(_keys(document))
    assert keys & SECRET_KEYS == set()
    assert {f"{key}_file" for key in SECRET_KEYS} <= keys
    definitions = [
        config.global_,
        *(integration for receiver in config.receivers for integration in receiver.integrations),
    ]
    secrets = [value for definition in definitions for value in vars(definition).values() if isinstance(value, Secret)]
    assert len(secrets) == 10
    assert sorted(_file_values(document)) == sorted(secret.path for secret in secrets)


def _keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [key for key, value in node.items() for key in (key, *_keys(value))]
    if isinstance(node, list):
        return [key for item in node for key in _keys(item)]
    return []


def _file_values(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [
            found
            for key, value in node.items()
            for found in ([value] if key.endswith("_file") else _file_values(value))
        ]
    if isinstance(node, list):
        return [found for item in node for found in _file_values(item)]
    return []


def test_a_webhook_url_is_written_as_given_or_read_from_its_secret() -> None:
    config = Alertmanager(
        route=Route("hooks"),
        receivers=[
            Receiver(
                "hooks",
                [Webhook(url="https://hook.example.com/a"), Webhook(url=Secret("hooks", "b", file="/hooks/b"))],
            )
        ],
    )
    document = yaml.safe_load(emitted(config).files[CONFIG])
    assert document["receivers"][0]["webhook_configs"] == [
        {"url": "https://hook.example.com/a"},
        {"url_file": "/hooks/b"},
    ]


def test_every_dsl_field_of_every_integration_is_written() -> None:
    """A field added to the DSL must be added to the table too, or it would be silently dropped."""
    kinds = {
        value
        for value in vars(receivers).values()
        if isinstance(value, type) and issubclass(value, Integration) and value is not Integration
    }
    assert set(INTEGRATIONS) == kinds
    for kind, written in INTEGRATIONS.items():
        assert sorted(attribute for attribute, _ in written.fields) == sorted(set(kind.model_fields) - {"location"})
    assert sorted(attribute for attribute, _ in GLOBAL_FIELDS) == sorted(set(Global.model_fields) - {"location"})


def test_an_integration_moncc_cannot_write_is_a_problem_at_its_line() -> None:
    class Pushover(Integration):
        kind: ClassVar[str] = "pushover"

    pushover = Pushover()
    tree = emitted(Alertmanager(route=Route("phone"), receivers=[Receiver("phone", [pushover])]))
    assert [(problem.message, problem.location) for problem in tree.problems] == [
        ("receiver phone: moncc cannot write a Pushover", pushover.location)
    ]
    assert pushover.location.path == Path(__file__).resolve()


def test_the_output_is_the_same_on_every_run() -> None:
    first, second = emitted(everything()), emitted(everything())
    assert first.files == second.files
    assert list(first) == list(second)


def test_the_emitter_writes_nothing_for_a_project_without_alertmanager(make_project: ProjectFactory) -> None:
    model = build_model(load_project(make_project(good=GOOD_MODULE).root))
    tree = ArtifactTree()
    AlertmanagerConfig().emit(model, tree)
    assert tree.files == {}
    assert tree.problems == []


def test_the_header_names_the_module_that_keeps_the_configuration(make_project: ProjectFactory) -> None:
    project = make_project(
        routing="""
        from compiler.dsl import Alert, Alertmanager, Receiver, Route, RuleGroup, Webhook

        alerts = RuleGroup("alerts", rules=[Alert("TargetDown", expr="up == 0", severity="page")])
        alertmanager = Alertmanager(
            route=Route("default", routes=[Route("hook", matchers=['severity="page"'])]),
            receivers=[Receiver("default"), Receiver("hook", [Webhook(url="http://hook.example.com/")])],
        )
        """
    )
    model = build_model(load_project(project.root))
    assert model.problems == ()
    tree = ArtifactTree()
    AlertmanagerConfig().emit(model, tree)
    assert model.routing is not None
    assert tree.files[CONFIG].startswith("# Generated by moncc from rules_src/routing.py. Do not edit:")
    assert tree.sources[CONFIG] == model.routing.alertmanager.location
