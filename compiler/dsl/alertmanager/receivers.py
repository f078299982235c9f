"""Receivers and the integrations teams page and notify with: Slack, PagerDuty, email, webhooks, Opsgenie
and Microsoft Teams. Secret values are `Secret` references, never text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field, InstanceOf, field_validator, model_validator

from compiler.dsl.alertmanager.fields import ItemList
from compiler.dsl.alertmanager.secrets import Secret
from compiler.dsl.definition import Definition
from compiler.dsl.go_template import check_template
from compiler.problems import SourceLocation

_URL_SCHEMES = ("http://", "https://")


class Integration(Definition):
    """One way a receiver notifies; `send_resolved` left unset keeps Alertmanager's default for the kind."""

    send_resolved: bool | None = None

    @field_validator("*", mode="after")
    @classmethod
    def _templates(cls, value: object) -> object:
        """Text fields are Go templates Alertmanager renders; a broken one fails at load, so refuse it here."""
        if isinstance(value, str):
            check_template(value)
        return value


class Slack(Integration):
    """A Slack channel through an incoming webhook; `api_url` unset reads `Global(slack_api_url=...)`.

    `title=` and `text=` are Alertmanager templates.

    Example:
        ```python
        from compiler.dsl import Secret, Slack

        alerts_channel = Slack(channel="#alerts")
        own_webhook = Slack(api_url=Secret("team-slack", "url"), channel="#team", send_resolved=True)
        ```
    """

    kind: ClassVar[str] = "slack"

    api_url: InstanceOf[Secret] | None = Field(default=None, description="none: the global slack_api_url")
    channel: str | None = None
    title_: str | None = Field(default=None, alias="title")
    text: str | None = None

    def __init__(
        self,
        *,
        api_url: Secret | None = None,
        channel: str | None = None,
        title: str | None = None,
        text: str | None = None,
        send_resolved: bool | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "api_url": api_url,
            "channel": channel,
            "title_": title,
            "text": text,
            "send_resolved": send_resolved,
            "location": location,
        }
        super().__init__(**arguments)


class PagerDuty(Integration):
    """Events API v2 with `routing_key`, or the older integration with `service_key`: exactly one.

    Example:
        ```python
        from compiler.dsl import PagerDuty, Secret

        pager = PagerDuty(routing_key=Secret("alertmanager-pagerduty", "routing-key"), severity="critical")
        ```
    """

    kind: ClassVar[str] = "pagerduty"

    routing_key: InstanceOf[Secret] | None = None
    service_key: InstanceOf[Secret] | None = None
    severity: str | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _one_key(self) -> PagerDuty:
        if (self.routing_key is None) == (self.service_key is None):
            raise ValueError("give exactly one of routing_key and service_key")
        return self


class Email(Integration):
    """Server and sender default to the global `smtp_*` settings.

    Example:
        ```python
        from compiler.dsl import Email

        oncall_mail = Email(to="oncall@example.com")
        ```
    """

    kind: ClassVar[str] = "email"

    to: str = Field(min_length=1)
    from_: str | None = Field(default=None, alias="from")
    smarthost: str | None = None
    auth_username: str | None = None
    auth_password: InstanceOf[Secret] | None = None
    require_tls: bool | None = None

    @field_validator("smarthost")
    @classmethod
    def _host_port(cls, smarthost: str | None) -> str | None:
        if smarthost is not None and not smarthost.rpartition(":")[2].isdigit():
            raise ValueError(f"smarthost must be host:port, got {smarthost!r}")
        return smarthost


class Webhook(Integration):
    """A plain URL, or a `Secret` holding it (read from a file: Alertmanager 0.26 and newer).

    Example:
        ```python
        from compiler.dsl import Webhook

        tickets = Webhook(url="http://ticket-bridge.monitoring.svc:8080/alerts", max_alerts=20)
        ```
    """

    kind: ClassVar[str] = "webhook"

    url: str | InstanceOf[Secret]
    max_alerts: int | None = Field(default=None, ge=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | Secret) -> str | Secret:
        if isinstance(url, str) and not url.startswith(_URL_SCHEMES):
            raise ValueError(f"must be an http:// or https:// URL, got {url!r}")
        return url


class Opsgenie(Integration):
    """An Opsgenie alert; `api_key` unset reads `Global(opsgenie_api_key=...)`.

    Example:
        ```python
        from compiler.dsl import Opsgenie, Secret

        opsgenie = Opsgenie(api_key=Secret("alertmanager-opsgenie", "api-key"), priority="P1")
        ```
    """

    kind: ClassVar[str] = "opsgenie"

    api_key: InstanceOf[Secret] | None = Field(default=None, description="none: the global opsgenie_api_key")
    message: str | None = None
    priority: str | None = None

    @field_validator("priority")
    @classmethod
    def _priority(cls, priority: str | None) -> str | None:
        if priority is not None and "{{" not in priority and priority not in ("P1", "P2", "P3", "P4", "P5"):
            raise ValueError(f"must be P1 to P5 (or a template), got {priority!r}")
        return priority


class MsTeams(Integration):
    """Microsoft Teams (Alertmanager 0.26 and newer).

    Example:
        ```python
        from compiler.dsl import MsTeams, Secret

        teams = MsTeams(webhook_url=Secret("alertmanager-teams", "webhook-url"))
        ```
    """

    kind: ClassVar[str] = "msteams"

    webhook_url: InstanceOf[Secret]
    title_: str | None = Field(default=None, alias="title")
    text: str | None = None

    def __init__(
        self,
        *,
        webhook_url: Secret,
        title: str | None = None,
        text: str | None = None,
        send_resolved: bool | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "webhook_url": webhook_url,
            "title_": title,
            "text": text,
            "send_resolved": send_resolved,
            "location": location,
        }
        super().__init__(**arguments)


class Receiver(Definition):
    """A named destination; with no integrations it is the place alerts go to be dropped on purpose.

    Example:
        ```python
        from compiler.dsl import Email, Receiver, Slack

        team = Receiver("team-db", [Slack(channel="#db-alerts"), Email(to="db@example.com")])
        blackhole = Receiver("blackhole")
        ```
    """

    kind: ClassVar[str] = "receiver"

    name: str = Field(min_length=1)
    integrations: ItemList[InstanceOf[Integration]] = Field(default_factory=list)

    def __init__(
        self,
        name: str,
        /,
        integrations: Sequence[Integration] = (),
        *,
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(name=name, integrations=integrations, location=location)

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        if not name.isprintable() or name != name.strip():
            raise ValueError(f"a receiver name must be printable, without surrounding blanks, got {name!r}")
        return name
