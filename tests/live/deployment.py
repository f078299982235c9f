"""Deploy build/'s Alertmanager configuration on this machine: its endpoints and secrets, and nothing else,
pointed at a local webhook, as a real deployment mounts its own secrets and reaches its own services.

Routing, grouping and inhibition are left exactly as built; `local_deployment` checks that it changed only
the fields that name where notifications go.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SECRET_FILE_FIELDS = {
    "api_url_file",
    "routing_key_file",
    "service_key_file",
    "api_key_file",
    "auth_password_file",
    "webhook_url_file",
    "url_file",
    "slack_api_url_file",
    "opsgenie_api_key_file",
    "smtp_auth_password_file",
}
ENDPOINT_FIELDS = {"url", "pagerduty_url", "opsgenie_api_url", "api_url"}


def local_deployment(config: dict[str, Any], webhook_url: str, secrets: Path) -> dict[str, Any]:
    """The configuration with every endpoint a path of `webhook_url` (`<receiver>/<kind>/<index>`, PagerDuty's
    events API `/pagerduty`) and every secret file one below `secrets`."""
    deployed = copy.deepcopy(config)
    secrets.mkdir(parents=True, exist_ok=True)
    _secrets(deployed.get("global", {}), "global", webhook_url, secrets)
    for receiver in deployed.get("receivers", []):
        for field, integrations in receiver.items():
            if not field.endswith("_configs"):
                continue
            kind = field.removesuffix("_configs")
            for index, integration in enumerate(integrations):
                where = f"{receiver['name']}/{kind}/{index}"
                if "url" in integration:
                    integration["url"] = f"{webhook_url}/{where}"
                if kind == "pagerduty":
                    integration["url"] = f"{webhook_url}/pagerduty"
                _secrets(integration, where, webhook_url, secrets)
    assert _without_endpoints(deployed) == _without_endpoints(config), "only endpoints and secrets may change"
    return deployed


def _secrets(fields: dict[str, Any], where: str, webhook_url: str, secrets: Path) -> None:
    """Each secret file of `fields` written below `secrets`: a URL secret holds the webhook's address
    `<where>/<field>` (the global Slack URL: `global/slack_api_url_file`), any other a token."""
    for field in sorted(fields.keys() & SECRET_FILE_FIELDS):
        path = f"{where}/{field}"
        secret = secrets / path.replace("/", "_")
        secret.write_text(f"{webhook_url}/{path}" if "url" in field else f"token-{path}")
        fields[field] = str(secret)


def _without_endpoints(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_endpoints(item)
            for key, item in value.items()
            if key not in SECRET_FILE_FIELDS | ENDPOINT_FIELDS
        }
    if isinstance(value, list):
        return [_without_endpoints(item) for item in value]
    return value


def write_config(config: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=True))
    return path
