"""`moncc import alertmanager`: an Alertmanager configuration → one module holding its `Alertmanager(...)`.

Every part is built as the DSL object it becomes, located at its line of the input, so what the build would
refuse is refused here, one line each, before anything is written; a field the DSL does not have is refused at
its line, never dropped. What is translated rather than copied:

- secrets are never copied: they become `Secret` references (`alertmanager_receivers.py`, which reads the
  receivers and the `global` block);
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from compiler.dsl.alertmanager.config import Alertmanager, Template
from compiler.dsl.alertmanager.inhibition import InhibitRule
from compiler.dsl.alertmanager.matchers import Matcher, parse_matchers
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.alertmanager.time_intervals import MONTHS, Period, TimeInterval
from compiler.import_command.alertmanager_entries import Problems, known_entries, optional_text, texts
from compiler.import_command.alertmanager_receivers import ReceiverReader
from compiler.import_command.alertmanager_source import ImportedConfig, alertmanager_module_source
from compiler.import_command.input_files import file_problem, read_input_text
from compiler.import_command.module_names import module_paths
from compiler.import_command.output import write_modules
from compiler.import_command.python_source import identifier
from compiler.import_command.ruff_layout import ruff_layout
from compiler.import_command.yaml_documents import YamlNode, read_documents
from compiler.problems import CompileError, Problem, SourceLocation
from compiler.settings.project import Project

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
    config = reader.problems.attempt(reader.config, documents[0])
    if reader.problems.found or config is None:
        raise CompileError(reader.problems.found)
    return ImportedConfig(path, config, tuple(reader.receivers.secrets), tuple(reader.templates_report))


@dataclass
class _Reader:
    """Reads one configuration, collecting every problem rather than stopping at the first."""

    path: Path
    problems: Problems = field(default_factory=Problems)
    templates_report: list[tuple[str, SourceLocation]] = field(default_factory=list)
    """What became of each `templates:` glob, at its line."""
    _template_names: set[str] = field(default_factory=set)
    _template_files: set[Path] = field(default_factory=set)
    receivers: ReceiverReader = field(init=False)
    """Reads the receivers and the `global` block into the same problems."""

    def __post_init__(self) -> None:
        self.receivers = ReceiverReader(self.problems)

    def config(self, document: YamlNode) -> Alertmanager | None:
        entries = known_entries(document, _TOP_FIELDS, "alertmanager configuration")
        if "route" not in entries:
            raise document.fail("alertmanager configuration: no route")
        if "receivers" not in entries:
            raise document.fail("alertmanager configuration: no receivers")
        problems = self.problems
        global_ = problems.attempt(self.receivers.global_, entries["global"]) if "global" in entries else None
        route = problems.attempt(self.route, entries["route"])
        receivers = problems.each(entries, "receivers", self.receivers.receiver)
        inhibit_rules = problems.each(entries, "inhibit_rules", self.inhibit_rule)
        intervals = problems.each(entries, "time_intervals", self.time_interval)
        muting = problems.each(entries, "mute_time_intervals", self.time_interval)
        templates = problems.each(entries, "templates", self.templates)
        if (
            problems.found
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

    def route(self, node: YamlNode) -> Route | None:
        """The route and those below it; None when any has problems (recorded)."""
        entries = known_entries(node, _ROUTE_FIELDS, "route")
        children = self.problems.each(entries, "routes", self.route)
        if children is None:
            return None
        group_by = entries.get("group_by")  # empty is unset, to Alertmanager as to the DSL
        return Route(
            optional_text(entries, "receiver"),
            matchers=_matchers(entries, "route"),
            group_by=texts(group_by, "group_by") or None,
            group_wait=optional_text(entries, "group_wait"),
            group_interval=optional_text(entries, "group_interval"),
            repeat_interval=optional_text(entries, "repeat_interval"),
            continue_=entries["continue"].boolean("continue") if "continue" in entries else False,
            mute_time_intervals=texts(entries.get("mute_time_intervals"), "mute_time_intervals"),
            active_time_intervals=texts(entries.get("active_time_intervals"), "active_time_intervals"),
            routes=children,
            location=node.location,
        )

    def inhibit_rule(self, node: YamlNode) -> InhibitRule:
        entries = known_entries(node, _INHIBIT_FIELDS, "inhibit rule")
        return InhibitRule(
            source=_matchers(entries, "inhibit rule", "source_"),
            target=_matchers(entries, "inhibit rule", "target_"),
            equal=texts(entries.get("equal"), "equal"),
            location=node.location,
        )

    def time_interval(self, node: YamlNode) -> TimeInterval | None:
        entries = known_entries(node, ("name", "time_intervals"), "time interval")
        if "name" not in entries:
            raise node.fail("time interval: no name")
        name = entries["name"].text("time interval name")
        what = f"time interval {name}"
        nodes = entries["time_intervals"].sequence(f"{what}: time_intervals") if "time_intervals" in entries else []
        periods = [self.problems.attempt(_period, item, what) for item in nodes]
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
    entries = known_entries(node, _PERIOD_FIELDS, f"{what}: period")
    times = [_time_range(item, what) for item in entries["times"].sequence("times")] if "times" in entries else []
    months = [_month_names(text) for text in texts(entries.get("months"), "months")]
    return Period(
        times=times,
        weekdays=texts(entries.get("weekdays"), "weekdays"),
        days_of_month=texts(entries.get("days_of_month"), "days_of_month"),
        months=months,
        years=texts(entries.get("years"), "years"),
        time_zone=optional_text(entries, "location"),
        location=node.location,
    )


def _time_range(node: YamlNode, what: str) -> str:
    entries = known_entries(node, ("start_time", "end_time"), f"{what}: times")
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
