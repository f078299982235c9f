"""`amtool check-config` over the staged Alertmanager configuration, each complaint at the source that caused it.

amtool reads the file as Alertmanager does, loads the templates it names, and applies the checks the DSL does
not (an email integration with no smarthost anywhere, a Slack one with no API URL). A field only a newer
Alertmanager knows is named with the version it needs and the version of the amtool that refused it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import yaml

from compiler.dsl.alertmanager.config import Alertmanager
from compiler.dsl.alertmanager.routes import Route
from compiler.dsl.definition import Definition
from compiler.emit.alertmanager_config import ALERTMANAGER_DIR, CONFIG_FILE, CONFIG_PATH, integrations_by_kind
from compiler.emit.yaml_text import SAFE_LOADER
from compiler.problems import CompileError, Problem
from compiler.verify.amtool import Amtool, find_amtool
from compiler.verify.verifier import StagedBuild, Verifier

_FAILED = re.compile(r"FAILED: (?P<message>.*?)\s*(?:^amtool: error:|\Z)", re.DOTALL | re.MULTILINE)
_AT_LINE = re.compile(r"^(?:yaml: )?line (?P<line>\d+): (?P<message>.*)$")
_IN_TEMPLATE = re.compile(r"^template: (?P<name>[^:]+):")
_UNKNOWN_FIELD = re.compile(r"^field (?P<field>\w+) not found in type ")
_VERSION = re.compile(r"(\d+)\.(\d+)")

NEWER_FIELDS: dict[str, tuple[str, tuple[int, int]]] = {
    "url_file": ("a Webhook url from a Secret (webhook_configs url_file)", (0, 26)),
    "msteams_configs": ("MsTeams (msteams_configs, with the webhook_url_file moncc writes)", (0, 27)),
    "webhook_url_file": ("an MsTeams webhook_url from a Secret (msteams_configs webhook_url_file)", (0, 27)),
}
"""Fields moncc writes that Alertmanager 0.25 does not know: the feature, and the release that added it."""


class AlertmanagerCheckConfig(Verifier):
    """The configuration and its templates as Alertmanager loads them; no configuration, no amtool needed."""

    artifact = "alertmanager"

    def verify(self, build: StagedBuild) -> list[Problem]:
        if build.model.routing is None:
            return []
        config = build.model.routing.alertmanager
        try:
            amtool = find_amtool()
        except CompileError as error:
            return [Problem(problem.message, problem.location or config.location) for problem in error.problems]
        result = amtool.run(["check-config", CONFIG_FILE], build.folder / ALERTMANAGER_DIR)
        if result.returncode == 0:
            return []
        return check_config_problems(result.stdout, amtool, config, build.tree.files[PurePosixPath(CONFIG_PATH)])


def check_config_problems(output: str, amtool: Amtool, config: Alertmanager, text: str) -> list[Problem]:
    """One problem per complaint amtool made, quoted: at the DSL object that wrote the line or the template it
    names, else at the Alertmanager configuration."""
    failed = _FAILED.search(output)
    lines = [line.strip() for line in (failed["message"] if failed else output).splitlines() if line.strip()]
    lead = f"amtool {amtool.version} check-config {CONFIG_PATH}"
    if len(lines) > 1 and lines[0].endswith(":"):
        lead, complaints = f"{lead}: {lines[0].removesuffix(':')}", lines[1:]
    else:
        complaints = [" ".join(lines)]
    problems: list[Problem] = []
    for complaint in complaints:
        at_line = _AT_LINE.match(complaint)
        if at_line is None:
            problems.append(Problem(f"{lead}: {complaint}", _template_named(config, complaint).location))
            continue
        line, message = int(at_line["line"]), at_line["message"]
        quoted = f"{lead}: line {line}: {message}{_newer_alertmanager(message, amtool.version)}"
        problems.append(Problem(quoted, definition_at(config, text, line).location))
    return problems


def _template_named(config: Alertmanager, complaint: str) -> Definition:
    """The template a complaint about a template file names, else the configuration."""
    in_template = _IN_TEMPLATE.match(complaint)
    name = in_template["name"] if in_template else None
    return next((template for template in config.templates if template.name == name), config)


def _newer_alertmanager(message: str, installed: str) -> str:
    """What the refused field needs, when it is a feature of an Alertmanager newer than the amtool's."""
    unknown = _UNKNOWN_FIELD.match(message)
    if unknown is None or unknown["field"] not in NEWER_FIELDS:
        return ""
    feature, needed = NEWER_FIELDS[unknown["field"]]
    version = _VERSION.match(installed)
    if version is not None and (int(version[1]), int(version[2])) >= needed:
        return ""
    return (
        f"; {feature} needs Alertmanager {needed[0]}.{needed[1]} or newer, and the installed amtool is {installed}"
        " (point $AMTOOL at a newer one, or leave the feature out)"
    )


def definition_at(config: Alertmanager, text: str, line: int) -> Definition:
    """The DSL object that wrote line `line` (1-based) of the emitted `text`: the deepest one found."""
    try:
        path = _yaml_path(yaml.compose(text, Loader=SAFE_LOADER), line - 1)
    except yaml.YAMLError:
        return config
    match path:
        case ["global", *_] if config.global_ is not None:
            return config.global_
        case ["templates", int(index), *_]:
            return config.templates[index]
        case ["route", *below]:
            return _route_at(config.route, below)
        case ["receivers", int(index), str(configs), *below]:
            receiver = config.receivers[index]
            by_list = {kind.configs: integrations for kind, integrations in integrations_by_kind(receiver).items()}
            item = below[0] if below and isinstance(below[0], int) else 0
            return by_list[configs][item] if configs in by_list else receiver
        case ["receivers", int(index), *_]:
            return config.receivers[index]
        case ["inhibit_rules", int(index), *_]:
            return config.inhibit_rules[index]
        case ["time_intervals", int(index), *_]:
            return config.time_intervals[index]
    return config


def _route_at(route: Route, path: list[str | int]) -> Route:
    match path:
        case ["routes", int(index), *below]:
            return _route_at(route.routes[index], below)
    return route


def _yaml_path(node: yaml.Node | None, line: int) -> list[str | int]:
    """The keys and indexes down to the innermost entry that starts at or before `line` (0-based)."""
    path: list[str | int] = []
    while node is not None:
        if isinstance(node, yaml.MappingNode):
            entries = [(key.value, value) for key, value in node.value if key.start_mark.line <= line]
        elif isinstance(node, yaml.SequenceNode):
            entries = [(index, item) for index, item in enumerate(node.value) if item.start_mark.line <= line]
        else:
            break
        if not entries:
            break
        step, node = entries[-1]
        path.append(step)
    return path
