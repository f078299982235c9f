"""The project's Alertmanager as an AlertmanagerConfig (monitoring.coreos.com/v1alpha1) for prometheus-operator.

Every DSL field lands in the CRD's spelling, `Global` defaults are copied into each integration that lacks
them, secrets are `{name, key}` only, and what v1alpha1 cannot say is a problem at the line that says it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import yaml

from compiler.dsl.alertmanager.config import Alertmanager, Global, Template
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.receivers import (
    Email,
    Integration,
    MsTeams,
    Opsgenie,
    PagerDuty,
    Receiver,
    Slack,
    Webhook,
)
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.alertmanager.secrets import Secret
from compiler.dsl.alertmanager.time_intervals import Period, TimeInterval
from compiler.emit.alertmanager_crd import AlertmanagerConfigs, config_name, emit_alertmanager_config
from compiler.emit.artifacts import ArtifactTree
from compiler.load.metrics import Catalogue
from compiler.model.build import Model
from compiler.model.routing import Routing
from compiler.problems import Problem, SourceLocation
from compiler.settings.project import KubernetesSettings, Project, Settings
from compiler.verify.alertmanagerconfig_schema import AlertmanagerConfigSchema
from compiler.verify.engines import Engines
from compiler.verify.verifier import StagedBuild
from tests.conftest import REPO_ROOT

KUBERNETES = KubernetesSettings(
    namespace="payments",
    labels={"team": "payments", "release": "kube-prometheus-stack"},
    annotations={"moncc.dev/owner": "payments-oncall"},
)
OUTPUT = PurePosixPath("kubernetes/alertmanagerconfigs/test-alertmanager-crd.yaml")
"""Named after this file, which defines the test's Alertmanager objects."""


def every_field() -> Alertmanager:
    return Alertmanager(
        global_=Global(
            resolve_timeout="5m",
            smtp_from="alertmanager@example.com",
            smtp_smarthost="smtp.example.com:587",
            smtp_auth_username="alertmanager",
            smtp_auth_password=Secret("smtp", "password", file="/run/secrets/smtp-password"),
            smtp_require_tls=True,
            slack_api_url=Secret("slack", "api-url"),
            pagerduty_url="https://events.eu.pagerduty.com/v2/enqueue",
            opsgenie_api_url="https://api.eu.opsgenie.com/",
            opsgenie_api_key=Secret("opsgenie", "api-key"),
        ),
        route=Route(
            "chat",
            group_by=["alertname", "team"],
            group_wait="45s",
            routes=[
                Route("pager", matchers=['severity="critical"'], repeat_interval="1h", continue_=True),
                Route(
                    "mail",
                    matchers=['team=~"db|storage"'],
                    group_by=["..."],
                    mute_time_intervals=["nights"],
                    routes=[
                        Route(
                            "hooks",
                            matchers=['alertname!~"Watchdog|InfoInhibitor"'],
                            group_interval="10m",
                            active_time_intervals=["office-hours"],
                        )
                    ],
                ),
                Route("blackhole", matchers=['severity="info"']),
            ],
        ),
        receivers=[
            Receiver(
                "chat",
                [
                    Slack(
                        channel="#alerts",
                        title="{{ .CommonLabels.alertname }}",
                        text="{{ .CommonAnnotations.summary }}",
                        send_resolved=True,
                    ),
                    Slack(api_url=Secret("slack", "critical-url"), channel="#critical"),
                ],
            ),
            Receiver(
                "pager",
                [
                    PagerDuty(
                        routing_key=Secret("pagerduty", "routing-key"),
                        severity="critical",
                        description="{{ .CommonAnnotations.summary }}",
                    ),
                    Opsgenie(message="{{ .CommonLabels.alertname }}", priority="P1"),
                    MsTeams(
                        webhook_url=Secret("teams", "url"), title="Payments", text="{{ .CommonAnnotations.summary }}"
                    ),
                ],
            ),
            Receiver(
                "mail",
                [
                    Email(to="oncall@example.com"),
                    Email(
                        to="db@example.com",
                        from_="db-alerts@example.com",
                        smarthost="smtp.db.example.com:25",
                        require_tls=False,
                    ),
                ],
            ),
            Receiver(
                "hooks",
                [
                    Webhook(url="http://incident-bot.monitoring.svc:8080/alerts", max_alerts=10),
                    Webhook(url=Secret("ticket-bridge", "url"), send_resolved=False),
                ],
            ),
            Receiver("blackhole"),
        ],
        inhibit_rules=[
            InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["alertname", "team"])
        ],
        time_intervals=[
            TimeInterval("nights", [Period(times=["00:00-07:00", "22:00-24:00"])]),
            TimeInterval(
                "office-hours",
                [
                    Period(
                        times=["09:00-17:00"],
                        weekdays=["monday:friday"],
                        days_of_month=["1:7", "-1"],
                        months=["january:june"],
                        years=["2026:2027"],
                    )
                ],
            ),
        ],
        templates=[Template("slack.tmpl", text='{{ define "slack.title" }}{{ .CommonLabels.alertname }}{{ end }}')],
    )


SLACK_URL = {"name": "slack", "key": "api-url"}
EXPECTED_SPEC: dict[str, Any] = {
    "route": {
        "receiver": "chat",
        "groupBy": ["alertname", "team"],
        "groupWait": "45s",
        "groupInterval": "5m",  # Alertmanager's defaults, spelled out: the top route would take the cluster's
        "repeatInterval": "4h",
        "routes": [
            {
                "receiver": "pager",
                "repeatInterval": "1h",
                "matchers": [{"name": "severity", "value": "critical", "matchType": "="}],
                "continue": True,
            },
            {
                "receiver": "mail",
                "groupBy": ["..."],
                "matchers": [{"name": "team", "value": "db|storage", "matchType": "=~"}],
                "muteTimeIntervals": ["nights"],
                "routes": [
                    {
                        "receiver": "hooks",
                        "groupInterval": "10m",
                        "matchers": [{"name": "alertname", "value": "Watchdog|InfoInhibitor", "matchType": "!~"}],
                        "activeTimeIntervals": ["office-hours"],
                    }
                ],
            },
            {"receiver": "blackhole", "matchers": [{"name": "severity", "value": "info", "matchType": "="}]},
        ],
    },
    "receivers": [
        {
            "name": "chat",
            "slackConfigs": [
                {
                    "apiURL": SLACK_URL,
                    "channel": "#alerts",
                    "title": "{{ .CommonLabels.alertname }}",
                    "text": "{{ .CommonAnnotations.summary }}",
                    "sendResolved": True,
                },
                {"apiURL": {"name": "slack", "key": "critical-url"}, "channel": "#critical"},
            ],
        },
        {
            "name": "pager",
            "pagerdutyConfigs": [
                {
                    "routingKey": {"name": "pagerduty", "key": "routing-key"},
                    "url": "https://events.eu.pagerduty.com/v2/enqueue",
                    "severity": "critical",
                    "description": "{{ .CommonAnnotations.summary }}",
                }
            ],
            "opsgenieConfigs": [
                {
                    "apiKey": {"name": "opsgenie", "key": "api-key"},
                    "apiURL": "https://api.eu.opsgenie.com/",
                    "message": "{{ .CommonLabels.alertname }}",
                    "priority": "P1",
                }
            ],
            "msteamsConfigs": [
                {
                    "webhookUrl": {"name": "teams", "key": "url"},
                    "title": "Payments",
                    "text": "{{ .CommonAnnotations.summary }}",
                }
            ],
        },
        {
            "name": "mail",
            "emailConfigs": [
                {
                    "to": "oncall@example.com",
                    "from": "alertmanager@example.com",
                    "smarthost": "smtp.example.com:587",
                    "authUsername": "alertmanager",
                    "authPassword": {"name": "smtp", "key": "password"},
                    "requireTLS": True,
                },
                {
                    "to": "db@example.com",
                    "from": "db-alerts@example.com",
                    "smarthost": "smtp.db.example.com:25",
                    "authUsername": "alertmanager",
                    "authPassword": {"name": "smtp", "key": "password"},
                    "requireTLS": False,
                },
            ],
        },
        {
            "name": "hooks",
            "webhookConfigs": [
                {"url": "http://incident-bot.monitoring.svc:8080/alerts", "maxAlerts": 10},
                {"urlSecret": {"name": "ticket-bridge", "key": "url"}, "sendResolved": False},
            ],
        },
        {"name": "blackhole"},
    ],
    "inhibitRules": [
        {
            "sourceMatch": [{"name": "severity", "value": "critical", "matchType": "="}],
            "targetMatch": [{"name": "severity", "value": "warning", "matchType": "="}],
            "equal": ["alertname", "team"],
        }
    ],
    "muteTimeIntervals": [
        {
            "name": "nights",
            "timeIntervals": [
                {"times": [{"startTime": "00:00", "endTime": "07:00"}, {"startTime": "22:00", "endTime": "24:00"}]}
            ],
        },
        {
            "name": "office-hours",
            "timeIntervals": [
                {
                    "times": [{"startTime": "09:00", "endTime": "17:00"}],
                    "weekdays": ["monday:friday"],
                    "daysOfMonth": [{"start": 1, "end": 7}, {"start": -1, "end": -1}],
                    "months": ["january:june"],
                    "years": ["2026:2027"],
                }
            ],
        },
    ],
}


def model_of(config: Alertmanager | None) -> Model:
    project = Project(root=REPO_ROOT, settings=Settings(kubernetes=KUBERNETES))
    routing = None if config is None else Routing(config, ())
    return Model(project, (), (), (), Catalogue(), (), routing=routing)


def emitted(config: Alertmanager) -> ArtifactTree:
    tree = ArtifactTree()
    AlertmanagerConfigs().emit(model_of(config), tree)
    return tree


def test_every_field_lands_in_the_crd_with_the_global_defaults_pushed_down() -> None:
    tree = emitted(every_field())
    assert tree.problems == []
    document = yaml.safe_load(tree.files[OUTPUT])
    assert document["apiVersion"] == "monitoring.coreos.com/v1alpha1"
    assert document["kind"] == "AlertmanagerConfig"
    assert document["metadata"] == {
        "name": "test-alertmanager-crd",
        "namespace": "payments",
        "labels": {"release": "kube-prometheus-stack", "team": "payments"},
        "annotations": {"moncc.dev/owner": "payments-oncall"},
    }
    assert document["spec"] == EXPECTED_SPEC


def test_the_file_says_what_the_operator_changes_and_what_belongs_to_the_alertmanager_resource() -> None:
    text = emitted(every_field()).files[OUTPUT]
    assert text.split("apiVersion:")[0] == (
        "# Generated by moncc from tests/emit/test_alertmanager_crd.py. Do not edit: change the source and run `moncc build`.\n"
        '# prometheus-operator adds namespace="payments" to the top route\'s matchers and sets continue: true on it,\n'
        '# so it routes only alerts carrying namespace="payments", ahead of the Alertmanager\'s own routes; inhibit\n'
        "# rules get that matcher on both sides; receivers and time intervals are renamed payments/test-alertmanager-crd/<name>.\n"
        "# Global settings an integration can hold are copied into each integration that sets none of its own.\n"
        "# resolve_timeout and templates belong to the Alertmanager resource (spec.alertmanagerConfiguration: global,\n"
        "# templates), not to an AlertmanagerConfig; left out here: resolve_timeout 5m, template slack.tmpl.\n"
    )


SECRET_KEYS = {
    "slackConfigs": {"apiURL"},
    "pagerdutyConfigs": {"routingKey", "serviceKey"},
    "emailConfigs": {"authPassword"},
    "webhookConfigs": {"urlSecret"},
    "opsgenieConfigs": {"apiKey"},
    "msteamsConfigs": {"webhookUrl"},
}
"""The keys of each kind of integration that hold a credential."""


def test_secrets_are_only_secret_key_references() -> None:
    text = emitted(every_field()).files[OUTPUT]
    found = [
        config[key]
        for receiver in yaml.safe_load(text)["spec"]["receivers"]
        for kind, configs in receiver.items()
        if kind != "name"
        for config in configs
        for key in SECRET_KEYS[kind] & set(config)
    ]
    assert len(found) == 8
    assert all(set(secret) == {"name", "key"} for secret in found), found
    assert "/run/secrets" not in text  # Alertmanager's file path is for alertmanager.yaml, not for the CRD


def test_the_emitted_object_passes_the_schema(tmp_path: Path) -> None:
    config = every_field()
    model = model_of(config)
    tree = emitted(config)
    assert AlertmanagerConfigSchema().verify(StagedBuild(model, tree, tmp_path, Engines(()))) == []


def test_a_period_without_fields_holds_always_and_passes_the_schema(tmp_path: Path) -> None:
    config = Alertmanager(
        route=Route("default", routes=[Route("default", matchers=['team="db"'], mute_time_intervals=["always"])]),
        receivers=[Receiver("default")],
        time_intervals=[TimeInterval("always", [Period()])],
    )
    tree = emitted(config)
    assert yaml.safe_load(tree.files[OUTPUT])["spec"]["muteTimeIntervals"] == [
        {"name": "always", "timeIntervals": [{}]}
    ]
    assert AlertmanagerConfigSchema().verify(StagedBuild(model_of(config), tree, tmp_path, Engines(()))) == []


def test_what_v1alpha1_cannot_say_is_a_problem_at_its_line() -> None:
    berlin = Period(times=["09:00-17:00"], time_zone="Europe/Berlin")
    slack = Slack(channel="#alerts")
    config = Alertmanager(
        route=Route("chat", group_by=["alertname"]),
        receivers=[Receiver("chat", [slack])],
        time_intervals=[TimeInterval("office-hours", [berlin])],
    )
    assert emitted(config).problems == [
        Problem(
            "slack of receiver chat: neither api_url= nor Global(slack_api_url=...) is set, and an AlertmanagerConfig"
            " has no global settings: its apiURL would depend on the Alertmanager resource's, which moncc neither"
            " writes nor checks",
            slack.location,
        ),
        Problem(
            "time interval office-hours: time_zone='Europe/Berlin' cannot be written to an AlertmanagerConfig"
            " (v1alpha1 has no location), so its times would be read as UTC; set alertmanager_config = false in"
            " [tool.moncc.kubernetes] if you deploy alertmanager.yaml itself",
            berlin.location,
        ),
    ]


def test_email_and_opsgenie_need_their_server_sender_and_key() -> None:
    email = Email(to="oncall@example.com")
    opsgenie = Opsgenie()
    config = Alertmanager(
        route=Route("pager"),
        receivers=[Receiver("pager", [email, opsgenie])],
        global_=Global(smtp_from="alertmanager@example.com"),
    )
    assert emitted(config).problems == [
        Problem(
            "email of receiver pager: neither smarthost= nor Global(smtp_smarthost=...) is set, and an"
            " AlertmanagerConfig has no global settings: its smarthost would depend on the Alertmanager resource's,"
            " which moncc neither writes nor checks",
            email.location,
        ),
        Problem(
            "opsgenie of receiver pager: neither api_key= nor Global(opsgenie_api_key=...) is set, and an"
            " AlertmanagerConfig has no global settings: its apiKey would depend on the Alertmanager resource's,"
            " which moncc neither writes nor checks",
            opsgenie.location,
        ),
    ]


class TeamSlack(Slack):
    """An author's own Slack, as the configuration emitter writes it: a Slack."""


class TeamEmail(Email):
    """An author's own email integration."""


class Pushover(Integration):
    """An integration moncc cannot write."""

    kind: ClassVar[str] = "pushover"


def test_an_integration_an_author_derived_is_written_as_the_kind_it_extends() -> None:
    slack, email = TeamSlack(channel="#db", api_url=Secret("slack", "db")), TeamEmail(to="db@example.com")
    tree = emitted(Alertmanager(route=Route("db"), receivers=[Receiver("db", [slack, email])]))
    [receiver] = yaml.safe_load(tree.files[OUTPUT])["spec"]["receivers"]
    assert receiver == {
        "name": "db",
        "slackConfigs": [{"apiURL": {"name": "slack", "key": "db"}, "channel": "#db"}],
        "emailConfigs": [{"to": "db@example.com"}],
    }
    assert [problem.message.split(":")[0] for problem in tree.problems] == ["email of receiver db"] * 2


def test_an_integration_moncc_cannot_write_is_left_to_the_configuration_emitter() -> None:
    """alertmanager.yaml's emitter reports it, once; here it is neither a crash nor a second problem."""
    tree = emitted(Alertmanager(route=Route("phone"), receivers=[Receiver("phone", [Pushover()])]))
    assert tree.problems == []
    assert yaml.safe_load(tree.files[OUTPUT])["spec"]["receivers"] == [{"name": "phone"}]


def test_the_output_is_deterministic() -> None:
    first, second = emitted(every_field()), emitted(every_field())
    assert first.files == second.files
    assert list(first.files) == [OUTPUT]


def test_without_an_alertmanager_nothing_is_written() -> None:
    tree = ArtifactTree()
    AlertmanagerConfigs().emit(model_of(None), tree)
    assert tree.files == {}
    assert tree.problems == []


def test_the_name_is_the_source_file_stem_made_a_kubernetes_name() -> None:
    assert config_name(Path("rules_src/team/Payments_Routing.py")) == "payments-routing"
    tree = ArtifactTree()
    location = SourceLocation(REPO_ROOT / "rules_src" / "__.py", 3)
    config = Alertmanager(route=Route("default"), receivers=[Receiver("default")], location=location)
    emit_alertmanager_config(tree, config, REPO_ROOT, KUBERNETES)
    assert tree.files == {}
    assert tree.problems == [
        Problem(
            "alertmanager: the file name '__.py' gives '', not a valid Kubernetes object name for its"
            " AlertmanagerConfig; rename the file",
            location,
        )
    ]
