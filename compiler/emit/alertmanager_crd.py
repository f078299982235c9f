"""AlertmanagerConfig (monitoring.coreos.com/v1alpha1): the project's Alertmanager configuration as
prometheus-operator takes it, one object named after the source file that defines the `Alertmanager`.

v1alpha1 has no `global` block and no templates. The global defaults an integration can hold are copied into
each integration that does not set its own; what v1alpha1 cannot say as the sources mean it (a time zone, an
integration still without its required secret or server) is a problem at the line that says it, and a top route
without `group_by`, which groups as the Alertmanager resource's root route does, is said in a comment. Secrets
are only ever Secret key references, `{name, key}`, in the object's namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from compiler.dsl.alertmanager.config import Alertmanager, Global
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.matchers import Matcher
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
from compiler.dsl.alertmanager.routes import (
    DEFAULT_GROUP_INTERVAL,
    DEFAULT_GROUP_WAIT,
    DEFAULT_REPEAT_INTERVAL,
    Route,
)
from compiler.dsl.alertmanager.secrets import Secret
from compiler.dsl.alertmanager.time_intervals import Period, TimeInterval
from compiler.dsl.durations import format_duration, format_optional_duration
from compiler.emit.alertmanager_config import integration_class, source_name
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.emitter import Emitter
from compiler.emit.yaml_text import header, to_yaml
from compiler.model.build import Model
from compiler.problems import Problem
from compiler.settings.project import KubernetesSettings

CRD_DIR = "kubernetes/alertmanagerconfigs"
API_VERSION = "monitoring.coreos.com/v1alpha1"
_NOT_IN_NAME = re.compile(r"[^a-z0-9]+")
_MAX_NAME = 253

_CONFIG_LISTS: dict[type[Integration], str] = {
    Slack: "slackConfigs",
    PagerDuty: "pagerdutyConfigs",
    Email: "emailConfigs",
    Webhook: "webhookConfigs",
    Opsgenie: "opsgenieConfigs",
    MsTeams: "msteamsConfigs",
}
"""The receiver's list each kind of integration goes to, in the order they are written."""

_REQUIRED: dict[type[Integration], tuple[tuple[str, str, str], ...]] = {
    Slack: (("apiURL", "api_url", "slack_api_url"),),
    Email: (("smarthost", "smarthost", "smtp_smarthost"), ("from", "from_", "smtp_from")),
    Opsgenie: (("apiKey", "api_key", "opsgenie_api_key"),),
}
"""What Alertmanager refuses an integration without: (the CRD's key, the integration's field, Global's field)."""

Defaults = dict[type[Integration], dict[str, Any]]
"""Per kind of integration, the CRD keys `Global` fills in where the integration sets none."""


class AlertmanagerConfigs(Emitter):
    """`build/kubernetes/alertmanagerconfigs/<name>.yaml`: the project's Alertmanager as one AlertmanagerConfig."""

    name = "alertmanager-crd"
    order = 60

    def emit(self, model: Model, tree: ArtifactTree) -> None:
        kubernetes = model.project.settings.kubernetes
        if model.routing is not None and kubernetes.alertmanager_config:
            emit_alertmanager_config(tree, model.routing.alertmanager, model.project.root, kubernetes)


def config_name(path: Path) -> str:
    """A Kubernetes object name from the source file's stem: `team_routing.py` gives `team-routing`."""
    return _NOT_IN_NAME.sub("-", path.stem.lower()).strip("-")


def emit_alertmanager_config(
    tree: ArtifactTree, config: Alertmanager, root: Path, kubernetes: KubernetesSettings
) -> None:
    """Write the object, with a note on what the operator changes and what belongs elsewhere."""
    name = config_name(config.location.path)
    if not name or len(name) > _MAX_NAME:
        tree.problems.append(
            Problem(
                f"alertmanager: the file name {config.location.path.name!r} gives {name!r}, not a valid Kubernetes"
                " object name for its AlertmanagerConfig; rename the file",
                config.location,
            )
        )
        return
    tree.problems.extend(unexpressible(config))
    document = {
        "apiVersion": API_VERSION,
        "kind": "AlertmanagerConfig",
        "metadata": _metadata(name, kubernetes),
        "spec": alertmanager_config_spec(config),
    }
    text = header(source_name(config.location.path, root)) + _notes(config, name, kubernetes.namespace)
    text += to_yaml(document)
    tree.add(f"{CRD_DIR}/{name}.yaml", text, config.location)


def alertmanager_config_spec(config: Alertmanager) -> dict[str, Any]:
    defaults = global_defaults(config.global_)
    spec: dict[str, Any] = {
        "route": _top_route(config.route),
        "receivers": [_receiver(receiver, defaults) for receiver in config.receivers],
        "inhibitRules": [_inhibit_rule(rule) for rule in config.inhibit_rules],
        "muteTimeIntervals": [_time_interval(interval) for interval in config.time_intervals],
    }
    return _given(spec)


def unexpressible(config: Alertmanager) -> Iterator[Problem]:
    """What the object cannot say as the sources mean it, one problem at the line that says it (an integration
    moncc cannot write at all is the configuration emitter's problem, reported once)."""
    defaults = global_defaults(config.global_)
    for receiver in config.receivers:
        for integration in receiver.integrations:
            kind = integration_class(integration)
            if kind is None:
                continue
            written = integration_config(integration, defaults)
            for key, own, default in _REQUIRED.get(kind, ()):
                if key not in written:
                    yield Problem(
                        f"{integration.kind} of receiver {receiver.name}: neither {own}= nor Global({default}=...)"
                        f" is set, and an AlertmanagerConfig has no global settings: its {key} would depend on the"
                        " Alertmanager resource's, which moncc neither writes nor checks",
                        integration.location,
                    )
    for interval in config.time_intervals:
        for period in interval.periods:
            if period.time_zone is not None:
                yield Problem(
                    f"time interval {interval.name}: time_zone={period.time_zone!r} cannot be written to an"
                    " AlertmanagerConfig (v1alpha1 has no location), so its times would be read as UTC; set"
                    " alertmanager_config = false in [tool.moncc.kubernetes] if you deploy alertmanager.yaml itself",
                    period.location,
                )


def _metadata(name: str, kubernetes: KubernetesSettings) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": kubernetes.namespace}
    if kubernetes.labels:
        metadata["labels"] = dict(sorted(kubernetes.labels.items()))
    if kubernetes.annotations:
        metadata["annotations"] = dict(sorted(kubernetes.annotations.items()))
    return metadata


def _notes(config: Alertmanager, name: str, namespace: str) -> str:
    """Comment lines for the reviewer: what the operator does to the object, and what is not in it."""
    lines = [
        f'prometheus-operator adds namespace="{namespace}" to the top route\'s matchers and sets continue: true on it,',
        f'so it routes only alerts carrying namespace="{namespace}", ahead of the Alertmanager\'s own routes; inhibit',
        f"rules get that matcher on both sides; receivers and time intervals are renamed {namespace}/{name}/<name>.",
        "Global settings an integration can hold are copied into each integration that sets none of its own.",
        "resolve_timeout and templates belong to the Alertmanager resource (spec.alertmanagerConfiguration: global,",
        f"templates), not to an AlertmanagerConfig{_left_out(config)}.",
    ]
    if not config.route.group_by:
        lines.append("The top route sets no groupBy, so it groups as the Alertmanager resource's root route does.")
    return "".join(f"# {line}\n" for line in lines)


def _left_out(config: Alertmanager) -> str:
    left_out = [f"template {template.name}" for template in config.templates]
    if config.global_ is not None and config.global_.resolve_timeout is not None:
        left_out.insert(0, f"resolve_timeout {format_duration(config.global_.resolve_timeout)}")
    return f"; left out here: {', '.join(left_out)}" if left_out else ""


def _top_route(root: Route) -> dict[str, Any]:
    """The root route, its unset timings spelled out: as the operator's first-level route it would otherwise
    take the Alertmanager resource's root route's, not Alertmanager's defaults that moncc routes with."""
    defaults = {
        "group_wait": DEFAULT_GROUP_WAIT,
        "group_interval": DEFAULT_GROUP_INTERVAL,
        "repeat_interval": DEFAULT_REPEAT_INTERVAL,
    }
    return _route(root.model_copy(update={key: value for key, value in defaults.items() if getattr(root, key) is None}))


def _route(route: Route) -> dict[str, Any]:
    return _given(
        {
            "receiver": route.receiver,
            "groupBy": None if route.group_by is None else list(route.group_by),
            "groupWait": format_optional_duration(route.group_wait),
            "groupInterval": format_optional_duration(route.group_interval),
            "repeatInterval": format_optional_duration(route.repeat_interval),
            "matchers": [_matcher(matcher) for matcher in route.matchers],
            "continue": route.continue_ or None,
            "muteTimeIntervals": list(route.mute_time_intervals),
            "activeTimeIntervals": list(route.active_time_intervals),
            "routes": [_route(child) for child in route.routes],
        }
    )


def _matcher(matcher: Matcher) -> dict[str, str]:
    return {"name": matcher.name, "value": matcher.value, "matchType": matcher.operator}


def _receiver(receiver: Receiver, defaults: Defaults) -> dict[str, Any]:
    written: dict[str, Any] = {"name": receiver.name}
    for kind, key in _CONFIG_LISTS.items():
        configs = [
            integration_config(integration, defaults)
            for integration in receiver.integrations
            if integration_class(integration) is kind
        ]
        if configs:
            written[key] = configs
    return written


def global_defaults(defaults: Global | None) -> Defaults:
    """What `Global` gives each kind of integration, in the CRD's spelling."""
    if defaults is None:
        return {}
    return {
        Slack: {"apiURL": _secret(defaults.slack_api_url)},
        PagerDuty: {"url": defaults.pagerduty_url},
        Email: {
            "from": defaults.smtp_from,
            "smarthost": defaults.smtp_smarthost,
            "authUsername": defaults.smtp_auth_username,
            "authPassword": _secret(defaults.smtp_auth_password),
            "requireTLS": defaults.smtp_require_tls,
        },
        Opsgenie: {"apiKey": _secret(defaults.opsgenie_api_key), "apiURL": defaults.opsgenie_api_url},
    }


def integration_config(integration: Integration, defaults: Defaults) -> dict[str, Any]:
    """One entry of a receiver's `<kind>Configs`: the integration's own settings, then `Global`'s."""
    kind = integration_class(integration)
    fallback = {} if kind is None else defaults.get(kind, {})
    own = _own_settings(integration)
    return _given({key: fallback.get(key) if value is None else value for key, value in own.items()})


def _own_settings(integration: Integration) -> dict[str, Any]:
    """Every key the CRD has for the integration (None where unset), in the order they are written."""
    settings: dict[str, Any]
    match integration:
        case Slack():
            settings = {
                "apiURL": _secret(integration.api_url),
                "channel": integration.channel,
                "title": integration.title_,
                "text": integration.text,
            }
        case PagerDuty():
            settings = {
                "routingKey": _secret(integration.routing_key),
                "serviceKey": _secret(integration.service_key),
                "url": None,
                "severity": integration.severity,
                "description": integration.description,
            }
        case Email():
            settings = {
                "to": integration.to,
                "from": integration.from_,
                "smarthost": integration.smarthost,
                "authUsername": integration.auth_username,
                "authPassword": _secret(integration.auth_password),
                "requireTLS": integration.require_tls,
            }
        case Webhook():
            url = integration.url
            settings = {
                "url": url if isinstance(url, str) else None,
                "urlSecret": _secret(url) if isinstance(url, Secret) else None,
                "maxAlerts": integration.max_alerts,
            }
        case Opsgenie():
            settings = {
                "apiKey": _secret(integration.api_key),
                "apiURL": None,
                "message": integration.message,
                "priority": integration.priority,
            }
        case MsTeams():
            settings = {
                "webhookUrl": _secret(integration.webhook_url),
                "title": integration.title_,
                "text": integration.text,
            }
        case _:
            raise TypeError(f"no AlertmanagerConfig mapping for {type(integration).__name__}")
    return {**settings, "sendResolved": integration.send_resolved}


def _secret(secret: Secret | None) -> dict[str, str] | None:
    """A core/v1 SecretKeySelector: the Secret's name and key, never a value nor Alertmanager's file path."""
    return None if secret is None else {"name": secret.name, "key": secret.key}


def _inhibit_rule(rule: InhibitRule) -> dict[str, Any]:
    return _given(
        {
            "sourceMatch": [_matcher(matcher) for matcher in rule.source],
            "targetMatch": [_matcher(matcher) for matcher in rule.target],
            "equal": list(rule.equal),
        }
    )


def _time_interval(interval: TimeInterval) -> dict[str, Any]:
    return {"name": interval.name, "timeIntervals": [_period(period) for period in interval.periods]}


def _period(period: Period) -> dict[str, Any]:
    """A period as v1alpha1 spells it (its time zone cannot be: `unexpressible` says so)."""
    return _given(
        {
            "times": [_time_range(text) for text in period.times],
            "weekdays": list(period.weekdays),
            "daysOfMonth": [_day_range(text) for text in period.days_of_month],
            "months": list(period.months),
            "years": list(period.years),
        }
    )


def _time_range(text: str) -> dict[str, str]:
    start, end = text.split("-")
    return {"startTime": start, "endTime": end}


def _day_range(text: str) -> dict[str, int]:
    start, _, end = text.partition(":")
    return {"start": int(start), "end": int(end or start)}


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that are set: None and empty lists are left out, as the CRD reads them as unset."""
    return {key: value for key, value in fields.items() if value is not None and value != []}
