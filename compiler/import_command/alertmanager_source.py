"""An imported Alertmanager configuration written as DSL calls, and what the import tells the user about it:
the secrets to provide, what became of each templates glob, and the labels it declared external."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from compiler.dsl.alertmanager.config import Alertmanager, Template
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.receivers import Receiver
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.alertmanager.secrets import Secret
from compiler.dsl.alertmanager.time_intervals import TimeInterval
from compiler.dsl.definition import Definition
from compiler.dsl.durations import format_duration
from compiler.import_command.python_source import Call, module_source
from compiler.import_command.ruff_layout import Layout
from compiler.problems import SourceLocation, display_path

VARIABLE = "alertmanager"


@dataclass(frozen=True)
class ImportedSecret:
    """A secret the configuration held or named, and where."""

    secret: Secret
    field: str
    """What holds it, e.g. `receiver pager: pagerduty_configs: routing_key`."""
    inline: bool
    """Written as a value in the input, which the module does not copy."""
    location: SourceLocation

    def report_line(self) -> str:
        secret = self.secret
        kubernetes = f"key {secret.key} of Kubernetes Secret {secret.name}"
        if self.inline:
            return (
                f"{self.location}: {self.field}: the value is not copied; store it as {kubernetes}"
                f" (Alertmanager reads {secret.path})"
            )
        if secret.file is None:
            return f"{self.location}: {self.field}_file: {secret.path} is where prometheus-operator mounts {kubernetes}"
        return (
            f"{self.location}: {self.field}_file: still read from {secret.path}; for prometheus-operator, {kubernetes}"
        )


@dataclass(frozen=True)
class ImportedConfig:
    """The configuration read as DSL objects, with what the user must know about its import."""

    path: Path
    config: Alertmanager
    secrets: tuple[ImportedSecret, ...]
    templates_report: tuple[tuple[str, SourceLocation], ...]
    """What became of each `templates:` glob, at its line."""

    def report_lines(self) -> list[str]:
        """In the configuration's order, the declared external labels last."""
        located = [(secret.location.line, secret.report_line()) for secret in self.secrets]
        located += [(location.line, f"{location}: {message}") for message, location in self.templates_report]
        lines = [line for _, line in sorted(located, key=lambda item: item[0])]
        if self.config.external_labels:
            lines.append(f"{display_path(self.path)}: {_external_labels_note(self.config.external_labels)}")
        return lines

    def notes(self) -> list[str]:
        """The module's comments: what the import decided that the configuration did not say."""
        notes = [
            f"templates: {message.removeprefix('templates: ')} (line {location.line}); add its templates as"
            " Template(...) if Alertmanager should load them"
            for message, location in self.templates_report
            if "matches no file" in message
        ]
        if self.secrets:
            notes.append(
                "Secrets are references: no value was copied from the configuration; `moncc import alertmanager`"
                " said which Kubernetes Secret key holds each."
            )
        if self.config.external_labels:
            notes.append(_external_labels_note(self.config.external_labels))
        return notes


def _external_labels_note(labels: tuple[str, ...]) -> str:
    return (
        f"external_labels {', '.join(labels)}: read by the routes or inhibit rules, and not known to be on any"
        " alert, so declared as labels Prometheus adds; remove each one your alerts carry, and the build"
        " checks that the routes matching it reach an alert"
    )


def alertmanager_module_source(imported: ImportedConfig, layout: Layout) -> str:
    """The module: one `alertmanager = Alertmanager(...)`, the parts inline in the configuration's order."""
    docstring = f"Imported by `moncc import alertmanager` from:\n\n{imported.path}"
    assignments = [(VARIABLE, _config_call(imported.config))]
    return module_source(docstring, assignments, layout.width, imported.notes())


def _config_call(config: Alertmanager) -> Call:
    return Call(
        "Alertmanager",
        (),
        {
            "global_": None if config.global_ is None else _keywords_call(config.global_),
            "route": _route_call(config.route),
            "receivers": [_receiver_call(receiver) for receiver in config.receivers],
            "inhibit_rules": [_inhibit_rule_call(rule) for rule in config.inhibit_rules] or None,
            "time_intervals": [_time_interval_call(interval) for interval in config.time_intervals] or None,
            "templates": [_template_call(template) for template in config.templates] or None,
            "external_labels": list(config.external_labels) or None,
        },
    )


def _route_call(route: Route) -> Call:
    """Unset settings stay unset: Alertmanager inherits them from the parent."""
    return Call(
        "Route",
        () if route.receiver is None else (route.receiver,),
        {
            "matchers": [str(matcher) for matcher in route.matchers] or None,
            "group_by": None if route.group_by is None else list(route.group_by),
            "group_wait": _value(route.group_wait),
            "group_interval": _value(route.group_interval),
            "repeat_interval": _value(route.repeat_interval),
            "continue_": True if route.continue_ else None,
            "mute_time_intervals": list(route.mute_time_intervals) or None,
            "active_time_intervals": list(route.active_time_intervals) or None,
            "routes": [_route_call(child) for child in route.routes] or None,
        },
    )


def _receiver_call(receiver: Receiver) -> Call:
    integrations = [_keywords_call(integration) for integration in receiver.integrations]
    return Call("Receiver", (receiver.name, integrations) if integrations else (receiver.name,))


def _inhibit_rule_call(rule: InhibitRule) -> Call:
    return Call(
        "InhibitRule",
        (),
        {
            "source": [str(matcher) for matcher in rule.source],
            "target": [str(matcher) for matcher in rule.target],
            "equal": list(rule.equal) or None,
        },
    )


def _time_interval_call(interval: TimeInterval) -> Call:
    return Call("TimeInterval", (interval.name, [_keywords_call(period) for period in interval.periods]))


def _template_call(template: Template) -> Call:
    return Call("Template", (template.name, template.text))


def _keywords_call(definition: Definition) -> Call:
    """`Kind(field=value, ...)` with the fields that are set, in the class's order."""
    cls = type(definition)
    fields = [name for name in cls.model_fields if name != "location"]
    keywords = {_keyword(cls, name): _value(getattr(definition, name)) for name in fields}
    return Call(cls.__name__, (), keywords)


def keyword_for(cls: type[Definition], key: str) -> str:
    """The keyword `cls(...)` takes for the field Alertmanager names `key` (`from` is the field `from_`)."""
    field = next((name for name, info in cls.model_fields.items() if info.alias == key), key)
    return _keyword(cls, field)


def _keyword(cls: type[Definition], field: str) -> str:
    """The field's own name, or its alias when the constructor takes that instead (`Slack(title=...)`)."""
    parameters = inspect.signature(cls).parameters
    alias = cls.model_fields[field].alias
    return alias if field not in parameters and alias is not None and alias in parameters else field


def _value(value: object) -> object:
    """A field's value as the DSL takes it; None (left out) when unset or empty."""
    if isinstance(value, Secret):
        return Call("Secret", (value.name, value.key), {"file": value.file})
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, list | tuple):
        return list(value) or None
    return value
