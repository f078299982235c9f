"""`moncc import alertmanager`: an Alertmanager configuration → one module holding its `Alertmanager(...)`.

Every part is built as the DSL object it becomes, located at its line of the input, so what the build would
refuse is refused here, one line each, before anything is written; a field the DSL does not have is refused at
its line, never dropped. What is translated rather than copied:

- secrets: a value written inline (`api_url`, `routing_key`, `auth_password`, ...) is never copied; it becomes
  `Secret("<receiver>-<kind>", "<field>")` and the import says which Kubernetes Secret key to put it in. A
  `*_file` field becomes a `Secret` read from that same file. A webhook URL is a secret when it carries
  credentials: a user or password, a query or fragment, or a path segment that looks like a token;
- the deprecated `match`/`match_re` of routes and `source_match*`/`target_match*` of inhibit rules become
  matchers; the deprecated top-level `mute_time_intervals` become time intervals;
- `templates:` globs name files where Alertmanager runs: files inside the configuration's folder that they
  match are imported as `Template`s (an absolute glob is tried by its trailing folders), and a glob that
  matches none is reported;
- the labels the routes' matchers and the inhibit rules' `equal` read, other than `alertname` and `severity`,
  are declared as `external_labels`: moncc cannot tell which Prometheus adds and which alerts it does not know
  yet carry, and without them the build would refuse every such route. `unrouted` stays empty: which alerts
  may reach only the root's receiver is a decision about each alert, and the build asks for it one by one.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml

from compiler.dsl.alertmanager.config import Alertmanager, Global, Template
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.matchers import Matcher, parse_matchers
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
from compiler.dsl.alertmanager.secrets import MOUNT_FOLDER, Secret
from compiler.dsl.alertmanager.time_intervals import MONTHS, Period, TimeInterval
from compiler.dsl.definition import Definition
from compiler.import_command.alertmanager_source import (
    ImportedConfig,
    ImportedSecret,
    alertmanager_module_source,
    keyword_for,
)
from compiler.import_command.input_files import file_problem, read_input_text
from compiler.import_command.module_names import module_paths
from compiler.import_command.output import write_modules
from compiler.import_command.python_source import identifier
from compiler.import_command.ruff_layout import ruff_layout
from compiler.import_command.yaml_documents import InputError, YamlNode, read_documents
from compiler.problems import CompileError, DefinitionError, Problem, SourceLocation
from compiler.settings.project import Project

_T = TypeVar("_T")

_TOP_FIELDS = ("global", "templates", "route", "receivers", "inhibit_rules", "time_intervals", "mute_time_intervals")
_ROUTE_FIELDS = (
    "receiver", "matchers", "match", "match_re", "group_by", "group_wait", "group_interval", "repeat_interval",
    "continue", "mute_time_intervals", "active_time_intervals", "routes",
)  # fmt: skip
_INHIBIT_FIELDS = (
    "source_matchers", "source_match", "source_match_re", "target_matchers", "target_match", "target_match_re", "equal",
)  # fmt: skip
_PERIOD_FIELDS = ("times", "weekdays", "days_of_month", "months", "years", "location")
_KNOWN_LABELS = frozenset({"alertname", "severity"})
"""Labels every alert moncc builds carries (`severity` by convention, checked by the build's routing)."""
_YAML_KEYS = {"time_zone": "location", "source": "source_matchers", "target": "target_matchers"}
"""DSL fields named differently in Alertmanager's YAML, to point a DSL problem at the line it is about."""
_TOKEN = re.compile(r"[-_A-Za-z0-9]{16,}")


@dataclass(frozen=True)
class Fields:
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


GLOBAL_FIELDS = Fields(
    texts=("resolve_timeout", "smtp_from", "smtp_smarthost", "smtp_auth_username", "pagerduty_url", "opsgenie_api_url"),
    flags=("smtp_require_tls",),
    secrets=("smtp_auth_password", "slack_api_url", "opsgenie_api_key"),
)
INTEGRATIONS: dict[str, tuple[type[Integration], Fields]] = {
    "email_configs": (
        Email,
        Fields(
            texts=("to", "from", "smarthost", "auth_username"),
            flags=("send_resolved", "require_tls"),
            secrets=("auth_password",),
        ),
    ),
    "msteams_configs": (MsTeams, Fields(texts=("title", "text"), flags=("send_resolved",), secrets=("webhook_url",))),
    "opsgenie_configs": (
        Opsgenie,
        Fields(texts=("message", "priority"), flags=("send_resolved",), secrets=("api_key",)),
    ),
    "pagerduty_configs": (
        PagerDuty,
        Fields(texts=("severity", "description"), flags=("send_resolved",), secrets=("routing_key", "service_key")),
    ),
    "slack_configs": (
        Slack,
        Fields(texts=("channel", "title", "text"), flags=("send_resolved",), secrets=("api_url",)),
    ),
    "webhook_configs": (Webhook, Fields(flags=("send_resolved",), integers=("max_alerts",), urls=("url",))),
}
"""Each `*_configs` list of a receiver the DSL has an integration for, and the fields it has."""


@dataclass(frozen=True)
class ImportResult:
    written: list[Path]
    report: list[str]
    """One line per secret to provide, per templates glob, and for the declared external labels."""


def import_alertmanager(file: Path, module: str | None, project: Project, force: bool) -> ImportResult:
    """Read and validate the whole configuration first, then write its module."""
    target = _target(file, module, project.rules_dir)
    imported = read_alertmanager(file)
    layout = ruff_layout(project.rules_dir)
    source = layout.exempted(alertmanager_module_source(imported, layout), target)
    return ImportResult(write_modules({target: source}, force), imported.report_lines())


def _target(file: Path, module: str | None, rules_dir: Path) -> Path:
    if module is None:
        return module_paths([file], rules_dir)[file]
    if identifier(module, set(), "alertmanager") != module:
        raise CompileError([Problem(f"--module {module!r}: expected a module name such as alertmanager")])
    return rules_dir / f"{module}.py"


def read_alertmanager(path: Path) -> ImportedConfig:
    """The configuration as a validated `Alertmanager`; raises with every problem found."""
    documents = read_documents(path)
    if not documents:
        raise file_problem(path, "no Alertmanager configuration in it")
    if len(documents) > 1:
        raise CompileError([Problem("one Alertmanager configuration per file", documents[1].location)])
    reader = _Reader(path)
    config = reader.attempt(reader.config, documents[0])
    if reader.problems or config is None:
        raise CompileError(reader.problems)
    return ImportedConfig(path, config, tuple(reader.secrets), tuple(reader.templates_report))


@dataclass
class _Reader:
    """Reads one configuration, collecting every problem rather than stopping at the first."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    secrets: list[ImportedSecret] = field(default_factory=list)
    templates_report: list[tuple[str, SourceLocation]] = field(default_factory=list)
    """What became of each `templates:` glob, at its line."""
    _secret_ids: set[tuple[str, str]] = field(default_factory=set)
    _template_names: set[str] = field(default_factory=set)
    _template_files: set[Path] = field(default_factory=set)

    def attempt(self, read: Callable[..., _T], node: YamlNode, *arguments: Any) -> _T | None:
        """`read(node, ...)`, or None with its problems recorded."""
        try:
            return read(node, *arguments)
        except InputError as error:
            self.problems.append(error.problem)
        except CompileError as error:
            self.problems.extend(error.problems)
        except DefinitionError as error:
            self.problems.extend(_relocated(error, node))
        return None

    def config(self, document: YamlNode) -> Alertmanager | None:
        entries = _entries(document, _TOP_FIELDS, "alertmanager configuration")
        if "route" not in entries:
            raise document.fail("alertmanager configuration: no route")
        if "receivers" not in entries:
            raise document.fail("alertmanager configuration: no receivers")
        global_ = self.attempt(self.global_, entries["global"]) if "global" in entries else None
        route = self.attempt(self.route, entries["route"])
        receivers = self.each(entries, "receivers", self.receiver)
        inhibit_rules = self.each(entries, "inhibit_rules", self.inhibit_rule)
        intervals = self.each(entries, "time_intervals", self.time_interval)
        muting = self.each(entries, "mute_time_intervals", self.time_interval)
        templates = self.each(entries, "templates", self.templates)
        if (
            self.problems
            or route is None
            or receivers is None
            or inhibit_rules is None
            or intervals is None
            or muting is None
            or templates is None
        ):
            return None
        return Alertmanager(
            route=route,
            receivers=receivers,
            inhibit_rules=inhibit_rules,
            time_intervals=[*intervals, *muting],
            templates=[template for found in templates for template in found],
            global_=global_,
            external_labels=_read_labels(route, inhibit_rules),
            location=document.location,
        )

    def each(self, entries: dict[str, YamlNode], key: str, read: Callable[[YamlNode], _T | None]) -> list[_T] | None:
        """What `read` makes of every item of the list under `key`; None when any has problems (recorded)."""
        items = self.attempt(YamlNode.sequence, entries[key], key) if key in entries else []
        if items is None:
            return None
        found = [self.attempt(read, item) for item in items]
        return None if any(each is None for each in found) else [each for each in found if each is not None]

    def global_(self, node: YamlNode) -> Global:
        keywords = self.fields(node, Global, GLOBAL_FIELDS, "global", "alertmanager-global")
        return Global(**keywords, location=node.location)

    def route(self, node: YamlNode) -> Route | None:
        """The route and those below it; None when any has problems (recorded)."""
        entries = _entries(node, _ROUTE_FIELDS, "route")
        children = self.each(entries, "routes", self.route)
        if children is None:
            return None
        group_by = entries.get("group_by")  # empty is unset, to Alertmanager as to the DSL
        return Route(
            _optional_text(entries, "receiver"),
            matchers=_matchers(entries, "route"),
            group_by=_texts(group_by, "group_by") or None,
            group_wait=_optional_text(entries, "group_wait"),
            group_interval=_optional_text(entries, "group_interval"),
            repeat_interval=_optional_text(entries, "repeat_interval"),
            continue_=entries["continue"].boolean("continue") if "continue" in entries else False,
            mute_time_intervals=_texts(entries.get("mute_time_intervals"), "mute_time_intervals"),
            active_time_intervals=_texts(entries.get("active_time_intervals"), "active_time_intervals"),
            routes=children,
            location=node.location,
        )

    def receiver(self, node: YamlNode) -> Receiver | None:
        entries = node.mapping("receiver")
        if "name" not in entries:
            raise node.fail("receiver: no name")
        name = entries["name"].text("receiver name")
        what = f"receiver {name}"
        empty = [key for key, value in entries.items() if key.endswith("_configs") and not value.sequence(key)]
        integrations: list[Integration | None] = []
        for key, value in _entries(node, ("name", *INTEGRATIONS), what, also=empty).items():
            if key in INTEGRATIONS:
                dsl, fields = INTEGRATIONS[key]
                integrations += [
                    self.attempt(self.integration, item, dsl, fields, f"{what}: {key}", name)
                    for item in value.sequence(key)
                ]
        if any(integration is None for integration in integrations):
            return None
        return Receiver(name, [each for each in integrations if each is not None], location=node.location)

    def integration(self, node: YamlNode, dsl: type[Integration], fields: Fields, what: str, owner: str) -> Integration:
        keywords = self.fields(node, dsl, fields, what, f"{_slug(owner)}-{dsl.kind}")
        return dsl(**keywords, location=node.location)

    def fields(
        self, node: YamlNode, dsl: type[Definition], fields: Fields, what: str, secret_name: str
    ) -> dict[str, Any]:
        """The keywords `dsl(...)` takes for a mapping with these fields; secrets as `Secret`s named `secret_name`."""
        entries = _entries(node, fields.keys, what)
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
                keywords[keyword] = self.secret(value, name, what, secret_name, inline=name == key)
        return keywords

    def secret(self, node: YamlNode, key: str, what: str, name: str, inline: bool) -> Secret:
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

    def inhibit_rule(self, node: YamlNode) -> InhibitRule:
        entries = _entries(node, _INHIBIT_FIELDS, "inhibit rule")
        return InhibitRule(
            source=_matchers(entries, "inhibit rule", "source_"),
            target=_matchers(entries, "inhibit rule", "target_"),
            equal=_texts(entries.get("equal"), "equal"),
            location=node.location,
        )

    def time_interval(self, node: YamlNode) -> TimeInterval | None:
        entries = _entries(node, ("name", "time_intervals"), "time interval")
        if "name" not in entries:
            raise node.fail("time interval: no name")
        name = entries["name"].text("time interval name")
        what = f"time interval {name}"
        nodes = entries["time_intervals"].sequence(f"{what}: time_intervals") if "time_intervals" in entries else []
        periods = [self.attempt(_period, item, what) for item in nodes]
        if any(period is None for period in periods):
            return None
        return TimeInterval(name, [period for period in periods if period is not None], location=node.location)

    def templates(self, node: YamlNode) -> list[Template]:
        """The files inside the configuration's folder that a glob matches, each once, as templates."""
        pattern = node.text("templates")
        folder = self.path.parent.resolve()
        matched = _template_files(folder, pattern, self.path.resolve())
        files = [file for file in matched if file not in self._template_files]
        self._template_files.update(files)
        if not files:
            found = "matches only files an earlier glob matched" if matched else "matches no file"
            self.templates_report.append(
                (f"templates: {pattern!r} {found} in the configuration's folder", node.location)
            )
            return []
        templates = []
        for file in files:
            name = _template_name(file.name, self._template_names)
            templates.append(Template(name, read_input_text(file), location=node.location))
        shown = ", ".join(file.relative_to(folder).as_posix() for file in files)
        self.templates_report.append((f"templates: {pattern!r}: imported {shown}", node.location))
        return templates


def _period(node: YamlNode, what: str) -> Period:
    entries = _entries(node, _PERIOD_FIELDS, f"{what}: period")
    times = [_time_range(item, what) for item in entries["times"].sequence("times")] if "times" in entries else []
    months = [_month_names(text) for text in _texts(entries.get("months"), "months")]
    return Period(
        times=times,
        weekdays=_texts(entries.get("weekdays"), "weekdays"),
        days_of_month=_texts(entries.get("days_of_month"), "days_of_month"),
        months=months,
        years=_texts(entries.get("years"), "years"),
        time_zone=_optional_text(entries, "location"),
        location=node.location,
    )


def _time_range(node: YamlNode, what: str) -> str:
    entries = _entries(node, ("start_time", "end_time"), f"{what}: times")
    if "start_time" not in entries or "end_time" not in entries:
        raise node.fail(f"{what}: times: give start_time and end_time")
    return f"{entries['start_time'].text('start_time')}-{entries['end_time'].text('end_time')}"


def _month_names(text: str) -> str:
    """`1:3` as `january:march`: Alertmanager takes months by number too, the DSL by name."""
    parts = [MONTHS[int(part) - 1] if part.isdigit() and 1 <= int(part) <= 12 else part for part in text.split(":")]
    return ":".join(parts)


def _matchers(entries: dict[str, YamlNode], what: str, prefix: str = "") -> list[str]:
    """`<prefix>matchers` with the deprecated `<prefix>match` (equality) and `<prefix>match_re` (regular
    expression) folded in, each as Alertmanager writes a matcher."""
    found: list[Matcher] = []
    for key, operator in ((f"{prefix}match", "="), (f"{prefix}match_re", "=~")):
        for name, value in {} if key not in entries or entries[key].is_null else entries[key].mapping(key).items():
            try:
                found.append(Matcher(name, operator, value.text(f"{what}: {key} {name}")))
            except ValueError as error:
                raise value.fail(f"{what}: {key}: {error}") from None
    key = f"{prefix}matchers"
    for item in entries[key].sequence(key) if key in entries else []:
        try:
            found.extend(parse_matchers(item.text(f"{what}: {key}")))
        except ValueError as error:
            raise item.fail(f"{what}: {key}: {error}") from None
    return [str(matcher) for matcher in found]


def _texts(node: YamlNode | None, what: str) -> list[str]:
    return [] if node is None else [item.text(what) for item in node.sequence(what)]


def _optional_text(entries: dict[str, YamlNode], key: str) -> str | None:
    return entries[key].text(key) if key in entries and not entries[key].is_null else None


def _entries(node: YamlNode, allowed: Sequence[str], what: str, also: Sequence[str] = ()) -> dict[str, YamlNode]:
    """The mapping's entries; a field the DSL does not have is refused at its line, never dropped: Alertmanager
    would act on it. Fields in `also` are accepted unnamed: an empty list of an integration the DSL lacks."""
    entries = node.mapping(what)
    for key, _ in node.node.value:
        if key.value not in allowed and key.value not in also:
            raise YamlNode(key, node.path).fail(f"{what}: {_not_in_dsl(key.value, allowed)}")
    return entries


def _not_in_dsl(key: str, allowed: Sequence[str]) -> str:
    return f"{key!r} is not in moncc's Alertmanager DSL (it has: {', '.join(sorted(allowed))})"


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


def _read_labels(route: Route, inhibit_rules: Sequence[InhibitRule]) -> list[str]:
    """The labels routes match and inhibit rules compare that moncc's own alerts need not carry."""
    matched = {matcher.name for each in route.walk() for matcher in each.matchers if not matcher.is_negative}
    compared = {name for rule in inhibit_rules for name in rule.equal}
    return sorted((matched | compared) - _KNOWN_LABELS)


def _template_files(folder: Path, pattern: str, config: Path) -> list[Path]:
    """The files inside `folder` the glob matches (`*`, `?` and `[...]` within a name, as Go's `filepath.Glob`);
    an absolute glob is tried by its trailing parts, longest first."""
    parts = PurePosixPath(pattern).parts
    tails = [parts[index:] for index in range(1, len(parts))] if pattern.startswith("/") else [parts]
    for tail in (tail for tail in tails if tail):
        matched = [
            resolved
            for name in sorted(glob.glob(str(PurePosixPath(*tail)), root_dir=folder))
            if (resolved := (folder / name).resolve()).is_file()
            and resolved.is_relative_to(folder)
            and resolved != config
        ]
        if matched:
            return list(dict.fromkeys(matched))
    return []


def _template_name(file_name: str, taken: set[str]) -> str:
    """A template name the DSL accepts (`[a-z0-9][-a-z0-9_]*.tmpl`), unique; Alertmanager finds templates by
    what they `define`, not by file name, so a new name changes nothing."""
    stem = re.sub(r"[^a-z0-9_-]+", "-", file_name.lower().removesuffix(".tmpl")).strip("-_") or "template"
    name, counter = f"{stem}.tmpl", 2
    while name in taken:
        name, counter = f"{stem}-{counter}.tmpl", counter + 1
    taken.add(name)
    return name


def _relocated(error: DefinitionError, node: YamlNode) -> list[Problem]:
    """The DSL's problems, each at the line of the field it is about (`slack: channel: ...`), when it has one."""
    entries = node.mapping("") if isinstance(node.node, yaml.MappingNode) else {}
    relocated = []
    for problem in error.problems:
        if problem.location != node.location:
            relocated.append(problem)
            continue
        field_name = problem.message.split(": ", 2)[1].split(".")[0] if problem.message.count(": ") >= 2 else ""
        keys = (_YAML_KEYS.get(field_name, field_name), f"{field_name}_file")
        where = next((entries[key].location for key in keys if key in entries), node.location)
        relocated.append(Problem(problem.message, where))
    return relocated
