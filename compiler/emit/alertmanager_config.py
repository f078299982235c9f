"""Alertmanager's configuration: `build/alertmanager/alertmanager.yaml` and the notification templates it loads.

Field names are Alertmanager 0.25's. No secret's value is ever written: a `Secret` becomes the `*_file` field
naming the file Alertmanager reads it from (`Secret.path`), so build/ can be reviewed and committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from compiler.dsl.alertmanager.config import Alertmanager
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
from compiler.dsl.definition import Definition
from compiler.dsl.durations import format_duration
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.emitter import Emitter
from compiler.emit.yaml_text import header, to_yaml
from compiler.model.build import Model
from compiler.problems import Problem

ALERTMANAGER_DIR = "alertmanager"
CONFIG_FILE = "alertmanager.yaml"
CONFIG_PATH = f"{ALERTMANAGER_DIR}/{CONFIG_FILE}"
TEMPLATES_DIR = "templates"
"""Beside the config file: Alertmanager reads the `templates:` paths relative to the config file's folder."""

Fields = tuple[tuple[str, str], ...]
"""(DSL attribute, Alertmanager key) in the order written; unset (None) is left out, a `Secret` is `<key>_file`."""


def _fields(*fields: str | tuple[str, str]) -> Fields:
    """Fields named alike in the DSL and Alertmanager given once; a pair where the DSL avoids a Python keyword."""
    return tuple((field, field) if isinstance(field, str) else field for field in fields)


@dataclass(frozen=True)
class IntegrationKind:
    """How one integration is written: the list under its receiver that holds it, and its fields."""

    configs: str
    fields: Fields


def _kind(configs: str, *fields: str | tuple[str, str]) -> IntegrationKind:
    return IntegrationKind(configs, _fields("send_resolved", *fields))


INTEGRATIONS: dict[type[Integration], IntegrationKind] = {
    Slack: _kind("slack_configs", "api_url", "channel", ("title_", "title"), "text"),
    PagerDuty: _kind("pagerduty_configs", "routing_key", "service_key", "severity", "description"),
    Email: _kind(
        "email_configs", "to", ("from_", "from"), "smarthost", "auth_username", "auth_password", "require_tls"
    ),
    Webhook: _kind("webhook_configs", "url", "max_alerts"),
    Opsgenie: _kind("opsgenie_configs", "api_key", "message", "priority"),
    MsTeams: _kind("msteams_configs", "webhook_url", ("title_", "title"), "text"),
}
"""Every integration kind, in the order a receiver's lists are written."""

GLOBAL_FIELDS = _fields(
    "resolve_timeout",
    "smtp_from",
    "smtp_smarthost",
    "smtp_auth_username",
    "smtp_auth_password",
    "smtp_require_tls",
    "slack_api_url",
    "pagerduty_url",
    "opsgenie_api_url",
    "opsgenie_api_key",
)


class AlertmanagerConfig(Emitter):
    """`build/alertmanager/alertmanager.yaml` and `templates/<name>` beside it, when the project keeps an
    Alertmanager configuration."""

    name = "alertmanager"
    order = 50

    def emit(self, model: Model, tree: ArtifactTree) -> None:
        if model.routing is not None:
            config = model.routing.alertmanager
            emit_alertmanager(tree, config, source_name(config.location.path, model.project.root))


def source_name(path: Path, root: Path) -> str:
    """The source file as generated files name it: relative to the project, or its name when outside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def emit_alertmanager(tree: ArtifactTree, config: Alertmanager, source: str) -> None:
    """The config file with a header naming `source`, and each template file it loads."""
    document, problems = config_document(config)
    tree.problems.extend(problems)
    tree.add(CONFIG_PATH, header(source) + to_yaml(document), config.location)
    for template in config.templates:
        tree.add(f"{ALERTMANAGER_DIR}/{TEMPLATES_DIR}/{template.name}", template.text, template.location)


def config_document(config: Alertmanager) -> tuple[dict[str, Any], list[Problem]]:
    """The whole configuration in Alertmanager's key order, and any integration moncc cannot write."""
    problems: list[Problem] = []
    document: dict[str, Any] = {}
    if config.global_ is not None:
        document["global"] = mapped(config.global_, GLOBAL_FIELDS)
    if config.templates:
        document["templates"] = [f"{TEMPLATES_DIR}/{template.name}" for template in config.templates]
    document["route"] = route_document(config.route)
    document["receivers"] = [receiver_document(receiver, problems) for receiver in config.receivers]
    if config.inhibit_rules:
        document["inhibit_rules"] = [inhibit_rule_document(rule) for rule in config.inhibit_rules]
    if config.time_intervals:
        document["time_intervals"] = [time_interval_document(interval) for interval in config.time_intervals]
    return document, problems


def mapped(definition: Definition, fields: Fields) -> dict[str, Any]:
    """The fields that are set, in table order: a secret as the file it is read from, a duration as text."""
    document: dict[str, Any] = {}
    for attribute, key in fields:
        value = getattr(definition, attribute)
        if value is None:
            continue
        if isinstance(value, Secret):
            document[f"{key}_file"] = value.path
        elif isinstance(value, timedelta):
            document[key] = format_duration(value)
        else:
            document[key] = value
    return document


def route_document(route: Route) -> dict[str, Any]:
    """A route and the routes below it; settings left unset are inherited by Alertmanager, so not written."""
    document: dict[str, Any] = {}
    if route.receiver is not None:
        document["receiver"] = route.receiver
    if route.matchers:
        document["matchers"] = [str(matcher) for matcher in route.matchers]
    if route.group_by is not None:
        document["group_by"] = list(route.group_by)
    for interval in ("group_wait", "group_interval", "repeat_interval"):
        value: timedelta | None = getattr(route, interval)
        if value is not None:
            document[interval] = format_duration(value)
    if route.continue_:
        document["continue"] = True
    if route.mute_time_intervals:
        document["mute_time_intervals"] = list(route.mute_time_intervals)
    if route.active_time_intervals:
        document["active_time_intervals"] = list(route.active_time_intervals)
    if route.routes:
        document["routes"] = [route_document(child) for child in route.routes]
    return document


def integration_class(integration: Integration) -> type[Integration] | None:
    """The DSL class an integration is written as (a subclass an author made, as the class it extends), None
    for one moncc does not know."""
    return next((cls for cls in type(integration).__mro__ if cls in INTEGRATIONS), None)


def integration_kind(integration: Integration) -> IntegrationKind | None:
    """How an integration is written, None for one moncc does not know."""
    cls = integration_class(integration)
    return None if cls is None else INTEGRATIONS[cls]


def integrations_by_kind(receiver: Receiver) -> dict[IntegrationKind, list[Integration]]:
    """A receiver's integrations by kind, kinds in `INTEGRATIONS` order, each kind's in the author's order."""
    grouped: dict[IntegrationKind, list[Integration]] = {kind: [] for kind in INTEGRATIONS.values()}
    for integration in receiver.integrations:
        kind = integration_kind(integration)
        if kind is not None:
            grouped[kind].append(integration)
    return {kind: integrations for kind, integrations in grouped.items() if integrations}


def receiver_document(receiver: Receiver, problems: list[Problem]) -> dict[str, Any]:
    problems.extend(
        Problem(f"receiver {receiver.name}: moncc cannot write a {type(integration).__name__}", integration.location)
        for integration in receiver.integrations
        if integration_kind(integration) is None
    )
    document: dict[str, Any] = {"name": receiver.name}
    for kind, integrations in integrations_by_kind(receiver).items():
        document[kind.configs] = [mapped(integration, kind.fields) for integration in integrations]
    return document


def inhibit_rule_document(rule: InhibitRule) -> dict[str, Any]:
    document: dict[str, Any] = {
        "source_matchers": [str(matcher) for matcher in rule.source],
        "target_matchers": [str(matcher) for matcher in rule.target],
    }
    if rule.equal:
        document["equal"] = list(rule.equal)
    return document


def time_interval_document(interval: TimeInterval) -> dict[str, Any]:
    return {"name": interval.name, "time_intervals": [period_document(period) for period in interval.periods]}


def period_document(period: Period) -> dict[str, Any]:
    """`times` as start and end; the time zone is Alertmanager's `location`."""
    document: dict[str, Any] = {}
    if period.times:
        document["times"] = [_time_range(text) for text in period.times]
    ranges: dict[str, Sequence[str]] = {
        "weekdays": period.weekdays,
        "days_of_month": period.days_of_month,
        "months": period.months,
        "years": period.years,
    }
    document.update({key: list(values) for key, values in ranges.items() if values})
    if period.time_zone is not None:
        document["location"] = period.time_zone
    return document


def _time_range(text: str) -> dict[str, str]:
    start, end = text.split("-")
    return {"start_time": start, "end_time": end}
