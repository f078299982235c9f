"""The receivers and the `global` block of an imported Alertmanager configuration, and the secrets they hold.

Every integration the DSL has is read field by field. A secret written inline (`api_url`, `routing_key`,
`auth_password`, ...) is never copied: it becomes `Secret("<receiver>-<kind>", "<field>")`, and the import says
which Kubernetes Secret key to put it in. A `*_file` field becomes a `Secret` read from that same file (the
Secret whose key prometheus-operator mounts there, when it is such a file). A webhook URL is a secret when it
carries credentials: a user or password, a query or fragment, or a path segment that looks like a token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from compiler.dsl.alertmanager.config import Global
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
from compiler.dsl.alertmanager.secrets import MOUNT_FOLDER, Secret
from compiler.dsl.definition import Definition
from compiler.import_command.alertmanager_entries import Problems, known_entries
from compiler.import_command.alertmanager_source import ImportedSecret, keyword_for
from compiler.import_command.yaml_documents import YamlNode
from compiler.problems import DefinitionError, SourceLocation

_TOKEN = re.compile(r"[-_A-Za-z0-9]{16,}")


@dataclass(frozen=True)
class FieldKinds:
    """The YAML fields of a part of the configuration that the DSL has, by how they are read."""

    texts: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    """Read from `<field>_file`, or written inline (then never copied)."""
    urls: tuple[str, ...] = ()
    """Plain text, unless the URL carries credentials: then a secret like the above."""

    @property
    def keys(self) -> tuple[str, ...]:
        files = tuple(f"{name}_file" for name in (*self.secrets, *self.urls))
        return tuple(sorted({*self.texts, *self.flags, *self.integers, *self.secrets, *self.urls, *files}))


GLOBAL_FIELDS = FieldKinds(
    texts=("resolve_timeout", "smtp_from", "smtp_smarthost", "smtp_auth_username", "pagerduty_url", "opsgenie_api_url"),
    flags=("smtp_require_tls",),
    secrets=("smtp_auth_password", "slack_api_url", "opsgenie_api_key"),
)
INTEGRATIONS: dict[str, tuple[type[Integration], FieldKinds]] = {
    "email_configs": (
        Email,
        FieldKinds(
            texts=("to", "from", "smarthost", "auth_username"),
            flags=("send_resolved", "require_tls"),
            secrets=("auth_password",),
        ),
    ),
    "msteams_configs": (
        MsTeams,
        FieldKinds(texts=("title", "text"), flags=("send_resolved",), secrets=("webhook_url",)),
    ),
    "opsgenie_configs": (
        Opsgenie,
        FieldKinds(texts=("message", "priority"), flags=("send_resolved",), secrets=("api_key",)),
    ),
    "pagerduty_configs": (
        PagerDuty,
        FieldKinds(texts=("severity", "description"), flags=("send_resolved",), secrets=("routing_key", "service_key")),
    ),
    "slack_configs": (
        Slack,
        FieldKinds(texts=("channel", "title", "text"), flags=("send_resolved",), secrets=("api_url",)),
    ),
    "webhook_configs": (Webhook, FieldKinds(flags=("send_resolved",), integers=("max_alerts",), urls=("url",))),
}
"""Each `*_configs` list of a receiver the DSL has an integration for, and the fields it has."""


@dataclass
class ReceiverReader:
    """Reads receivers and the `global` block into the problems of the whole configuration, keeping every
    secret it met for the import's report."""

    problems: Problems
    secrets: list[ImportedSecret] = field(default_factory=list)
    _secret_ids: set[tuple[str, str]] = field(default_factory=set)

    def global_(self, node: YamlNode) -> Global:
        keywords = self._keywords(node, Global, GLOBAL_FIELDS, "global", "alertmanager-global")
        return Global(**keywords, location=node.location)

    def receiver(self, node: YamlNode) -> Receiver | None:
        """The receiver; None when any of its integrations has problems (recorded)."""
        entries = node.mapping("receiver")
        if "name" not in entries:
            raise node.fail("receiver: no name")
        name = entries["name"].text("receiver name")
        what = f"receiver {name}"
        empty = [key for key, value in entries.items() if key.endswith("_configs") and not value.sequence(key)]
        integrations: list[Integration | None] = []
        for key, value in known_entries(node, ("name", *INTEGRATIONS), what, also=empty).items():
            if key in INTEGRATIONS:
                dsl, fields = INTEGRATIONS[key]
                integrations += [
                    self.problems.attempt(self._integration, item, dsl, fields, f"{what}: {key}", name)
                    for item in value.sequence(key)
                ]
        if any(integration is None for integration in integrations):
            return None
        return Receiver(name, [each for each in integrations if each is not None], location=node.location)

    def _integration(
        self, node: YamlNode, dsl: type[Integration], fields: FieldKinds, what: str, owner: str
    ) -> Integration:
        keywords = self._keywords(node, dsl, fields, what, f"{_slug(owner)}-{dsl.kind}")
        return dsl(**keywords, location=node.location)

    def _keywords(
        self, node: YamlNode, dsl: type[Definition], fields: FieldKinds, what: str, secret_name: str
    ) -> dict[str, Any]:
        """The keywords `dsl(...)` takes for a mapping with these fields; secrets as `Secret`s named `secret_name`."""
        entries = known_entries(node, fields.keys, what)
        keywords: dict[str, Any] = {}
        for key, value in entries.items():
            name = key.removesuffix("_file")
            keyword = keyword_for(dsl, name)
            if keyword in keywords:
                raise value.fail(f"{what}: give one of {name} and {name}_file")
            if key in fields.texts or (key in fields.urls and not _carries_credentials(value.text(f"{what}: {key}"))):
                keywords[keyword] = value.text(f"{what}: {key}")
            elif key in fields.flags:
                keywords[keyword] = value.boolean(f"{what}: {key}")
            elif key in fields.integers:
                keywords[keyword] = value.integer(f"{what}: {key}")
            else:
                keywords[keyword] = self._secret(value, name, what, secret_name, inline=name == key)
        return keywords

    def _secret(self, node: YamlNode, key: str, what: str, name: str, inline: bool) -> Secret:
        """A reference to the secret: the Kubernetes Secret key a file is where prometheus-operator mounts, else
        one under a name no other imported secret with this key has (read from the file the input named)."""
        file = None if inline else node.text(f"{what}: {key}_file")
        secret = None if file is None else _mounted(file, node.location)
        if secret is None:
            unique, counter = name, 2
            while (unique, key) in self._secret_ids:
                unique, counter = f"{name}-{counter}", counter + 1
            secret = Secret(unique, key, file=file, location=node.location)
        self._secret_ids.add((secret.name, secret.key))
        self.secrets.append(ImportedSecret(secret, f"{what}: {key}", inline, node.location))
        return secret


def _carries_credentials(url: str) -> bool:
    """Whether a URL holds what must not be committed: a user or password, a query or fragment (tokens and
    keys travel there), or a path segment that looks like a token (16 or more letters and digits, both)."""
    try:
        parts = urlsplit(url)
        credentials = parts.username is not None or parts.password is not None
    except ValueError:
        return True
    return credentials or bool(parts.query or parts.fragment) or any(map(_looks_like_token, parts.path.split("/")))


def _looks_like_token(segment: str) -> bool:
    return bool(_TOKEN.fullmatch(segment)) and any(c.isdigit() for c in segment) and any(c.isalpha() for c in segment)


def _slug(name: str) -> str:
    """A receiver name as part of a Kubernetes Secret name: lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:200] or "receiver"


def _mounted(file: str, location: SourceLocation) -> Secret | None:
    """The Secret whose key prometheus-operator mounts at `file` (`/etc/alertmanager/secrets/<name>/<key>`, where
    moncc's own build reads it), or None for a file anywhere else."""
    folder, name, key = PurePosixPath(file).parent.parent, PurePosixPath(file).parent.name, PurePosixPath(file).name
    if str(folder) != MOUNT_FOLDER:
        return None
    try:
        return Secret(name, key, location=location)
    except DefinitionError:
        return None
