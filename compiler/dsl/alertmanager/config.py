"""The whole Alertmanager configuration a project keeps: one `Alertmanager` object, checked as a whole."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from pydantic import Field, InstanceOf, field_validator

from compiler.dsl.alertmanager.fields import Items
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.receivers import Receiver
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.alertmanager.routing_tests import InhibitTest, RouteTest
from compiler.dsl.alertmanager.secrets import Secret
from compiler.dsl.alertmanager.time_intervals import TimeInterval
from compiler.dsl.definition import Definition
from compiler.dsl.durations import Duration
from compiler.dsl.go_template import check_template
from compiler.dsl.syntax import check_label_name
from compiler.problems import DefinitionError, Problem, SourceLocation

_TEMPLATE_NAME = re.compile(r"[a-z0-9][-a-z0-9_]*\.tmpl")


class Global(Definition):
    """Alertmanager's `global` block: defaults the integrations fall back to.

    Example:
        ```python
        from compiler.dsl import Global, Secret

        defaults = Global(
            resolve_timeout="5m",
            slack_api_url=Secret("alertmanager-slack", "api-url"),
            smtp_from="alertmanager@example.com",
            smtp_smarthost="smtp.example.com:587",
        )
        ```
    """

    kind: ClassVar[str] = "global"

    resolve_timeout: Duration | None = None
    smtp_from: str | None = None
    smtp_smarthost: str | None = None
    smtp_auth_username: str | None = None
    smtp_auth_password: InstanceOf[Secret] | None = None
    smtp_require_tls: bool | None = None
    slack_api_url: InstanceOf[Secret] | None = None
    pagerduty_url: str | None = None
    opsgenie_api_url: str | None = None
    opsgenie_api_key: InstanceOf[Secret] | None = None


class Template(Definition):
    """A notification template file, written to build/alertmanager/templates/ and loaded by the config.

    Example:
        ```python
        from compiler.dsl import Slack, Template

        titles = Template("slack.tmpl", text='{{ define "slack.title" }}{{ .CommonLabels.alertname }}{{ end }}')
        chat = Slack(channel="#alerts", title='{{ template "slack.title" . }}')
        ```
    """

    kind: ClassVar[str] = "template"

    name: str
    text: str

    def __init__(self, name: str, /, text: str, *, location: SourceLocation | None = None) -> None:
        super().__init__(name=name, text=text, location=location)

    @field_validator("name")
    @classmethod
    def _file_name(cls, name: str) -> str:
        if not _TEMPLATE_NAME.fullmatch(name):
            raise ValueError(f"{name!r}: a template is named like a file, e.g. 'slack.tmpl' ([a-z0-9-_] and .tmpl)")
        return name

    @field_validator("text")
    @classmethod
    def _template(cls, text: str) -> str:
        return check_template(text)


class Alertmanager(Definition):
    """Routing tree, receivers, inhibit rules, time intervals and templates, with the tests that prove them.

    `unrouted` names the alerts that may reach only the root's receiver, each with the reason;
    `external_labels` are labels Prometheus adds to every alert (its `external_labels`), so routes may match them.

    A project keeps one, in any module of `rules_src/`; it becomes `build/alertmanager/alertmanager.yaml` and an
    `AlertmanagerConfig`. The build checks every alert's route (see the Alertmanager guide).

    Example:
        ```python
        from compiler.dsl import Alertmanager, InhibitRule, PagerDuty, Receiver, Route, RouteTest, Secret, Slack

        alertmanager = Alertmanager(
            route=Route(
                "chat",
                group_by=["alertname", "team"],
                routes=[Route("pager", matchers=['severity="critical"'], group_wait="10s", continue_=True)],
            ),
            receivers=[
                Receiver("chat", [Slack(api_url=Secret("alertmanager-slack", "api-url"), channel="#alerts")]),
                Receiver("pager", [PagerDuty(routing_key=Secret("alertmanager-pagerduty", "routing-key"))]),
            ],
            inhibit_rules=[
                InhibitRule(source=['severity="critical"'], target=['severity="warning"'], equal=["alertname", "team"])
            ],
            tests=[RouteTest(labels={"alertname": "ApiDown", "severity": "critical"}, receivers=["pager", "chat"])],
            unrouted={"Watchdog": "always firing; the chat shows it is alive"},
        )
        ```
    """

    kind: ClassVar[str] = "alertmanager"

    route: InstanceOf[Route]
    receivers: Items[InstanceOf[Receiver]] = Field(min_length=1)
    inhibit_rules: Items[InstanceOf[InhibitRule]] = ()
    time_intervals: Items[InstanceOf[TimeInterval]] = ()
    templates: Items[InstanceOf[Template]] = ()
    global_: InstanceOf[Global] | None = Field(default=None, alias="global")
    tests: Items[InstanceOf[RouteTest] | InstanceOf[InhibitTest]] = ()
    unrouted: dict[str, str] = Field(default_factory=dict)
    external_labels: Items[str] = ()

    def __init__(
        self,
        *,
        route: Route,
        receivers: Sequence[Receiver],
        inhibit_rules: Sequence[InhibitRule] = (),
        time_intervals: Sequence[TimeInterval] = (),
        templates: Sequence[Template] = (),
        global_: Global | None = None,
        tests: Sequence[RouteTest | InhibitTest] = (),
        unrouted: Mapping[str, str] | None = None,
        external_labels: Sequence[str] = (),
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, Any] = {
            "route": route,
            "receivers": receivers,
            "inhibit_rules": inhibit_rules,
            "time_intervals": time_intervals,
            "templates": templates,
            "global_": global_,
            "tests": tests,
            "unrouted": {} if unrouted is None else unrouted,
            "external_labels": external_labels,
            "location": location,
        }
        super().__init__(**arguments)
        problems = [*self._root_problems(), *self._reference_problems()]
        if problems:
            raise DefinitionError(problems)

    @field_validator("external_labels")
    @classmethod
    def _label_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            check_label_name(name)
        return names

    @field_validator("unrouted")
    @classmethod
    def _reasons(cls, unrouted: dict[str, str]) -> dict[str, str]:
        for name, reason in unrouted.items():
            if not reason.strip():
                raise ValueError(f"{name}: say why the alert may reach only the root's receiver")
        return unrouted

    @property
    def receiver_names(self) -> frozenset[str]:
        return frozenset(receiver.name for receiver in self.receivers)

    def _root_problems(self) -> Iterator[Problem]:
        """What Alertmanager refuses of the root route: it is where every alert starts and ends by default."""
        root = self.route
        if root.receiver is None:
            yield Problem(
                "route: the root route needs a receiver: the one alerts no other route takes reach", root.location
            )
        if root.matchers:
            yield Problem("route: the root route matches every alert and takes no matchers", root.location)
        if root.continue_:
            yield Problem("route: the root route has no siblings, so continue_=True means nothing", root.location)
        if root.mute_time_intervals or root.active_time_intervals:
            yield Problem(
                "route: the root route cannot have time intervals; put them on a route below it", root.location
            )

    def _reference_problems(self) -> Iterator[Problem]:
        """Names used that are defined nowhere, and names defined twice."""
        yield from _duplicates("receiver", self.receivers)
        yield from _duplicates("time interval", self.time_intervals)
        yield from _duplicates("template", self.templates)
        receivers = self.receiver_names
        intervals = {interval.name for interval in self.time_intervals}
        for route in self.route.walk():
            if route.receiver is not None and route.receiver not in receivers:
                yield Problem(
                    f"route: unknown receiver {route.receiver!r}; receivers: {_listed(receivers)}", route.location
                )
            for name in (*route.mute_time_intervals, *route.active_time_intervals):
                if name not in intervals:
                    yield Problem(
                        f"route: unknown time interval {name!r}; time intervals: {_listed(intervals)}", route.location
                    )
        for test in self.tests:
            if isinstance(test, RouteTest):
                for name in test.receivers:
                    if name not in receivers:
                        yield Problem(
                            f"route test: unknown receiver {name!r}; receivers: {_listed(receivers)}", test.location
                        )


def _duplicates(kind: str, definitions: Sequence[Receiver | TimeInterval | Template]) -> Iterator[Problem]:
    first: dict[str, Definition] = {}
    for definition in definitions:
        earlier = first.setdefault(definition.name, definition)
        if earlier is not definition:
            yield Problem(f"{kind} {definition.name}: defined twice (first at {earlier.location})", definition.location)


def _listed(names: set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(names)) or "none"
