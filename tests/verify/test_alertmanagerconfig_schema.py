"""The project's JSON Schema of an AlertmanagerConfig (monitoring.coreos.com/v1alpha1) as moncc will emit it.

Hand-written documents of the kind a team writes (severity routing, an inhibit rule, a time interval, every
receiver kind moncc supports) pass; the mistakes people make writing one by hand, or a generator makes when it
mixes up Alertmanager's own spelling with the CRD's, are refused at the field that is wrong.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

SEVERITY_ROUTING = """
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata:
  name: payments-routing
  namespace: payments
  labels:
    release: kube-prometheus-stack
  annotations:
    moncc.dev/source: rules_src/payments.py
spec:
  route:
    receiver: slack-default
    groupBy: [alertname, job]
    groupWait: 1m
    groupInterval: 5m
    repeatInterval: 4h
    routes:
      - receiver: pagerduty-oncall
        matchers:
          - name: severity
            value: critical
            matchType: "="
        continue: true
      - receiver: slack-critical
        matchers:
          - name: severity
            value: critical
            matchType: "="
        repeatInterval: 1h
      - receiver: slack-warnings
        matchers:
          - name: severity
            value: warning
            matchType: "="
        groupWait: 30s
        muteTimeIntervals: [outside-business-hours]
  receivers:
    - name: slack-default
      slackConfigs:
        - apiURL:
            name: slack-webhooks
            key: default
          channel: "#payments"
    - name: pagerduty-oncall
      pagerdutyConfigs:
        - routingKey:
            name: pagerduty
            key: routing-key
          severity: critical
          description: '{{ .CommonAnnotations.summary }}'
          details:
            - key: runbook
              value: '{{ .CommonAnnotations.runbook_url }}'
          sendResolved: true
    - name: slack-critical
      slackConfigs:
        - apiURL:
            name: slack-webhooks
            key: critical
          channel: "#payments-critical"
          title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}'
          text: '{{ range .Alerts }}{{ .Annotations.description }}{{ "\\n" }}{{ end }}'
          sendResolved: true
          fields:
            - title: Runbook
              value: '{{ .CommonAnnotations.runbook_url }}'
              short: true
    - name: slack-warnings
      slackConfigs:
        - apiURL:
            name: slack-webhooks
            key: warnings
          channel: "#payments-warnings"
  inhibitRules:
    - sourceMatch:
        - name: severity
          value: critical
          matchType: "="
      targetMatch:
        - name: severity
          value: warning
          matchType: "="
      equal: [alertname, job]
  muteTimeIntervals:
    - name: outside-business-hours
      timeIntervals:
        - weekdays: [saturday, sunday]
        - weekdays: ["monday:friday"]
          times:
            - startTime: "00:00"
              endTime: "08:00"
            - startTime: "18:00"
              endTime: "24:00"
"""

EVERY_RECEIVER = """
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata:
  name: platform.alerting
  namespace: platform
spec:
  route:
    receiver: platform-email
    groupBy: ["..."]
    routes:
      - receiver: platform-webhook
        matchers:
          - name: team
            value: platform|infra
            matchType: "=~"
          - name: environment
            value: staging
            matchType: "!="
        continue: true
      - receiver: platform-opsgenie
        matchers:
          - name: severity
            value: critical
            matchType: "="
        activeTimeIntervals: [business-hours]
        routes:
          - receiver: platform-teams
            matchers:
              - name: alertname
                value: Watchdog|InfoInhibitor
                matchType: "!~"
  receivers:
    - name: platform-email
      emailConfigs:
        - to: platform-oncall@example.com
          from: alertmanager@example.com
          smarthost: smtp.example.com:587
          authUsername: alertmanager
          authPassword:
            name: smtp-credentials
            key: password
          requireTLS: true
          headers:
            - key: Subject
              value: '[{{ .Status }}] {{ .GroupLabels.alertname }}'
    - name: platform-webhook
      webhookConfigs:
        - url: http://alert-router.platform.svc:8080/hooks/alertmanager
          maxAlerts: 20
          timeout: 10s
          httpConfig:
            authorization:
              type: Bearer
              credentials:
                name: alert-router-token
                key: token
            tlsConfig:
              ca:
                configMap:
                  name: internal-ca
                  key: ca.crt
              serverName: alert-router.platform.svc
        - urlSecret:
            name: incident-bot
            key: url
          sendResolved: false
    - name: platform-opsgenie
      opsgenieConfigs:
        - apiKey:
            name: opsgenie
            key: api-key
          message: '{{ .CommonLabels.alertname }}'
          priority: P1
          tags: platform,kubernetes
          responders:
            - name: platform-team
              type: team
    - name: platform-teams
      msteamsConfigs:
        - webhookUrl:
            name: teams-webhook
            key: url
          title: '{{ .CommonLabels.alertname }}'
          summary: '{{ .CommonAnnotations.summary }}'
    - name: blackhole
  muteTimeIntervals:
    - name: business-hours
      timeIntervals:
        - weekdays: ["monday:friday"]
          times:
            - startTime: "09:00"
              endTime: "17:30"
          months: ["january:june", "9:december"]
          years: ["2025:2030"]
          daysOfMonth:
            - start: 1
              end: -1
"""

INHIBIT_ONLY = """
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata:
  name: node-inhibitions
  namespace: monitoring
spec:
  inhibitRules:
    - sourceMatch:
        - name: alertname
          value: NodeDown
          matchType: "="
      targetMatch:
        - name: alertname
          value: Node.+
          matchType: "=~"
        - name: alertname
          value: NodeDown
          matchType: "!="
      equal: [instance]
"""


@cache
def alertmanager_config_schema() -> dict[str, Any]:
    """Read as compiler/verify/crd_schema.py reads its PrometheusRule schema: package data of compiler.verify."""
    schema: dict[str, Any] = json.loads(
        resources.files("compiler.verify").joinpath("schemas/alertmanagerconfig.schema.json").read_text()
    )
    return schema


@cache
def alertmanager_config_validator() -> Draft202012Validator:
    schema = alertmanager_config_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(document: Any) -> list[tuple[str, str]]:
    return sorted((error.json_path, error.message) for error in alertmanager_config_validator().iter_errors(document))


def load(text: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def routes(route: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield route
    for child in route.get("routes", []):
        yield from routes(child)


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert alertmanager_config_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    alertmanager_config_validator()  # check_schema: every keyword and pattern is valid draft 2020-12


@pytest.mark.parametrize("text", [SEVERITY_ROUTING, EVERY_RECEIVER, INHIBIT_ONLY], ids=["severity", "kinds", "inhibit"])
def test_realistic_documents_are_accepted(text: str) -> None:
    document = load(text)
    assert schema_errors(document) == []
    # The samples are consistent too (what the schema cannot see): routes name declared receivers and intervals.
    spec = document["spec"]
    receivers = {receiver["name"] for receiver in spec.get("receivers", [])}
    intervals = {interval["name"] for interval in spec.get("muteTimeIntervals", [])}
    for route in routes(spec.get("route", {})):
        assert route.get("receiver", "inherited") in receivers | {"inherited"}
        assert set(route.get("muteTimeIntervals", [])) | set(route.get("activeTimeIntervals", [])) <= intervals


def test_every_receiver_kind_is_exercised() -> None:
    kinds = {
        key
        for text in (SEVERITY_ROUTING, EVERY_RECEIVER)
        for receiver in load(text)["spec"]["receivers"]
        for key in receiver
        if key != "name"
    }
    receiver_schema = alertmanager_config_schema()["$defs"]["receiver"]
    assert kinds == set(receiver_schema["properties"]) - {"name"}


DELETE = object()


def edit(document: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


SLACK = ("spec", "receivers", 2, "slackConfigs", 0)
PAGERDUTY = ("spec", "receivers", 1, "pagerdutyConfigs", 0)
WEBHOOK = ("spec", "receivers", 1, "webhookConfigs", 0)
CHILD_MATCHER = ("spec", "route", "routes", 0, "matchers", 0)
DURATION = "'^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'"

MISTAKES = [
    pytest.param(
        SEVERITY_ROUTING,
        [((*SLACK, "apiURL"), "https://hooks.slack.com/services/T0000/B0000/XXXXXXXX")],
        [
            (
                "$.spec.receivers[2].slackConfigs[0].apiURL",
                "'https://hooks.slack.com/services/T0000/B0000/XXXXXXXX' is not of type 'object'",
            )
        ],
        id="inline-slack-webhook-url",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [((*PAGERDUTY, "routingKey"), "0123456789abcdef0123456789abcdef")],
        [("$.spec.receivers[1].pagerdutyConfigs[0].routingKey", "is not of type 'object'")],
        id="inline-pagerduty-routing-key",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [((*SLACK, "apiURL", "name"), DELETE)],
        [("$.spec.receivers[2].slackConfigs[0].apiURL", "'name' is a required property")],
        id="secret-without-name",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [((*CHILD_MATCHER, "matchType"), "==")],
        [("$.spec.route.routes[0].matchers[0].matchType", "'==' is not one of ['=', '!=', '=~', '!~']")],
        id="bad-match-type",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [((*CHILD_MATCHER, "matchType"), DELETE), ((*CHILD_MATCHER, "regex"), False)],
        [
            ("$.spec.route.routes[0].matchers[0]", "'matchType' is a required property"),
            ("$.spec.route.routes[0].matchers[0]", "Additional properties are not allowed ('regex' was unexpected)"),
        ],
        id="deprecated-regex-matcher",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "receivers", 3, "name"), DELETE)],
        [("$.spec.receivers[3]", "'name' is a required property")],
        id="receiver-without-name",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "receiver"), DELETE)],
        [("$.spec.route", "'receiver' is a required property")],
        id="top-route-without-receiver",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "groupWait"), "30 seconds")],
        [("$.spec.route.groupWait", f"'30 seconds' does not match {DURATION}")],
        id="bad-duration",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "routes", 2, "groupWait"), "0.5m")],
        [("$.spec.route.routes[2].groupWait", f"'0.5m' does not match {DURATION}")],
        id="fractional-duration-in-child-route",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "repeatInterval"), "")],
        [("$.spec.route.repeatInterval", "'' should be non-empty")],
        id="empty-duration",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "groupBy"), DELETE), (("spec", "route", "group_by"), ["alertname"])],
        [("$.spec.route", "Additional properties are not allowed ('group_by' was unexpected)")],
        id="alertmanager-spelling",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "routes", 1, "matcher"), [])],
        [("$.spec.route.routes[1]", "Additional properties are not allowed ('matcher' was unexpected)")],
        id="unknown-field-in-child-route",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "timeIntervals"), [])],
        [("$.spec", "Additional properties are not allowed ('timeIntervals' was unexpected)")],
        id="v1beta1-time-intervals",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "route", "groupBy"), ["...", "job"])],
        [("$.spec.route.groupBy", "['...', 'job'] is too long")],
        id="group-by-all-and-more",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "receivers", 1, "pagerdutyConfigs", 0, "routingKey"), DELETE)],
        [("$.spec.receivers[1].pagerdutyConfigs[0]", "is not valid under any of the given schemas")],
        id="pagerduty-without-key",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "inhibitRules", 0, "sourceMatch"), [])],
        [("$.spec.inhibitRules[0].sourceMatch", "[] should be non-empty")],
        id="inhibit-rule-without-source",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "muteTimeIntervals", 0, "timeIntervals", 1, "times", 1, "endTime"), "25:00")],
        [
            (
                "$.spec.muteTimeIntervals[0].timeIntervals[1].times[1].endTime",
                "'25:00' does not match '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'",
            )
        ],
        id="bad-clock-time",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("metadata", "namespace"), "Payments")],
        [("$.metadata.namespace", "'Payments' does not match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'")],
        id="bad-namespace",
    ),
    pytest.param(
        SEVERITY_ROUTING,
        [(("spec", "receivers"), DELETE)],
        [("$.spec", "'receivers' is a dependency of 'route'")],
        id="route-without-receivers",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [((*WEBHOOK, "url"), "https://bot:s3cr3t@alert-router.example.com/hook")],
        [
            (
                "$.spec.receivers[1].webhookConfigs[0].url",
                "'https://bot:s3cr3t@alert-router.example.com/hook' does not match",
            )
        ],
        id="credentials-in-webhook-url",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [((*WEBHOOK, "urlSecret"), {"name": "incident-bot", "key": "url"})],
        [("$.spec.receivers[1].webhookConfigs[0]", "is valid under each of")],
        id="webhook-url-and-url-secret",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [((*WEBHOOK, "httpConfig", "bearerTokenSecret"), {"name": "alert-router-token", "key": "token"})],
        [("$.spec.receivers[1].webhookConfigs[0].httpConfig", "should not be valid under")],
        id="two-authentications",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [((*WEBHOOK, "httpConfig", "authorization", "type"), "Basic")],
        [("$.spec.receivers[1].webhookConfigs[0].httpConfig.authorization.type", "'Basic' does not match")],
        id="basic-authorization-type",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [
            (("spec", "receivers", 3, "msteamsConfigs", 0, "webhookUrl"), DELETE),
            (("spec", "receivers", 3, "msteamsConfigs", 0, "webhookURL"), {"name": "teams-webhook", "key": "url"}),
        ],
        [
            ("$.spec.receivers[3].msteamsConfigs[0]", "'webhookUrl' is a required property"),
            (
                "$.spec.receivers[3].msteamsConfigs[0]",
                "Additional properties are not allowed ('webhookURL' was unexpected)",
            ),
        ],
        id="msteams-v2-spelling",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [(("spec", "receivers", 0, "emailConfigs", 0, "to"), DELETE)],
        [("$.spec.receivers[0].emailConfigs[0]", "'to' is a required property")],
        id="email-without-recipient",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [(("spec", "receivers", 0, "emailConfigs", 0, "authPassword"), "hunter2")],
        [("$.spec.receivers[0].emailConfigs[0].authPassword", "'hunter2' is not of type 'object'")],
        id="inline-smtp-password",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [(("spec", "receivers", 2, "opsgenieConfigs", 0, "responders", 0, "type"), "squad")],
        [
            (
                "$.spec.receivers[2].opsgenieConfigs[0].responders[0].type",
                "'squad' is not one of ['team', 'teams', 'user', 'escalation', 'schedule']",
            )
        ],
        id="bad-opsgenie-responder",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [(("spec", "route", "routes", 1, "routes", 0, "matchers", 0, "matchType"), "~=")],
        [
            (
                "$.spec.route.routes[1].routes[0].matchers[0].matchType",
                "'~=' is not one of ['=', '!=', '=~', '!~']",
            )
        ],
        id="bad-match-type-two-levels-down",
    ),
    pytest.param(
        EVERY_RECEIVER,
        [(("spec", "muteTimeIntervals", 0, "timeIntervals", 0, "daysOfMonth", 0, "start"), 0)],
        [("$.spec.muteTimeIntervals[0].timeIntervals[0].daysOfMonth[0].start", "should not be valid under")],
        id="day-of-month-zero",
    ),
]


@pytest.mark.parametrize(("text", "edits", "expected"), MISTAKES)
def test_realistic_mistakes_are_refused(
    text: str, edits: list[tuple[tuple[str | int, ...], object]], expected: list[tuple[str, str]]
) -> None:
    document = copy.deepcopy(load(text))
    for path, value in edits:
        edit(document, path, value)
    errors = schema_errors(document)
    assert len(errors) == len(expected), errors
    for (json_path, message), (expected_path, fragment) in zip(errors, sorted(expected), strict=True):
        assert json_path == expected_path, errors
        assert fragment in message, errors
