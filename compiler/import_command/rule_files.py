"""Read Prometheus rule files and PrometheusRule CRDs into validated DSL rule groups.

Each rule is built as the DSL object it becomes, with the input file and line as its location, so whatever the
build would refuse (bad PromQL, bad names, bad durations) is refused here, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.syntax import METRIC_NAME
from compiler.import_command.yaml_documents import InputError, YamlNode, check_keys, read_documents
from compiler.problems import CompileError, DefinitionError, Problem

_CRD_GROUP = "monitoring.coreos.com/"
_GROUP_FIELDS = ("name", "interval", "limit", "query_offset", "rules")
_ALERT_FIELDS = ("alert", "expr", "for", "keep_firing_for", "labels", "annotations")
_RECORD_FIELDS = ("record", "expr", "labels")


@dataclass(frozen=True)
class RuleFile:
    """One input file: its groups in order, and where they came from (for the module's docstring)."""

    path: Path
    groups: tuple[RuleGroup, ...]
    origins: tuple[str, ...]
    """`PrometheusRule <namespace>/<name>` for each CRD the file holds; empty for a plain rule file."""
    empty_groups: tuple[str, ...]
    """Groups without rules: Prometheus accepts them, the DSL does not, and leaving them out changes nothing."""


def read_rule_file(path: Path) -> RuleFile:
    """Every group of every document in the file; raises with every problem found, one per rule at most."""
    problems: list[Problem] = []
    groups: list[RuleGroup] = []
    origins: list[str] = []
    empty: list[str] = []
    for document in read_documents(path):
        try:
            group_nodes, origin = _group_nodes(document)
        except InputError as error:
            problems.append(error.problem)
            continue
        if origin:
            origins.append(origin)
        for node in group_nodes:
            group = _group(node, problems)
            if isinstance(group, str):
                empty.append(group)
            elif group is not None:
                groups.append(group)
    problems.extend(_repeated_group_names(groups))
    if problems:
        raise CompileError(problems)
    return RuleFile(path, tuple(groups), tuple(origins), tuple(empty))


def _group_nodes(document: YamlNode) -> tuple[list[YamlNode], str | None]:
    """The `groups:` of a rule file, or the `spec.groups` of a PrometheusRule."""
    entries = document.mapping("document")
    if "kind" not in entries and "apiVersion" not in entries:
        if "groups" not in entries:
            raise document.fail("not a Prometheus rule file (no `groups:`) nor a PrometheusRule (no `kind:`)")
        check_keys(entries, ("groups",), "rule file")
        return entries["groups"].sequence("groups"), None
    kind = entries["kind"].text("kind") if "kind" in entries else ""
    api_version = entries["apiVersion"].text("apiVersion") if "apiVersion" in entries else ""
    if kind != "PrometheusRule" or not api_version.startswith(_CRD_GROUP):
        raise document.fail(
            f"unknown kind {kind or '(none)'} of apiVersion {api_version or '(none)'}: expected a Prometheus rule "
            f"file or a PrometheusRule of {_CRD_GROUP}v1"
        )
    check_keys(entries, ("apiVersion", "kind", "metadata", "spec"), "PrometheusRule")
    metadata = entries["metadata"].mapping("metadata") if "metadata" in entries else {}
    name = "/".join(metadata[key].text(key) for key in ("namespace", "name") if key in metadata)
    if "spec" not in entries:
        raise document.fail("PrometheusRule: no spec")
    spec = entries["spec"].mapping("spec")
    check_keys(spec, ("groups",), "PrometheusRule spec")
    groups = spec["groups"].sequence("spec.groups") if "groups" in spec else []
    return groups, f"PrometheusRule {name}".rstrip()


def _group(node: YamlNode, problems: list[Problem]) -> RuleGroup | str | None:
    """The group; its name alone when it has no rules; None when it has problems."""
    try:
        entries = node.mapping("group")
        check_keys(entries, _GROUP_FIELDS, "group")
        if "name" not in entries:
            raise node.fail("group: no name")
        name = entries["name"].text("group name")
        rule_nodes = entries["rules"].sequence(f"group {name}: rules") if "rules" in entries else []
        interval = entries["interval"].text("interval") if "interval" in entries else None
        limit = entries["limit"].integer("limit") if "limit" in entries else None
        query_offset = entries["query_offset"].text("query_offset") if "query_offset" in entries else None
    except InputError as error:
        problems.append(error.problem)
        return None
    if not rule_nodes:
        return name
    rules = [rule for rule in (_rule(rule_node, problems) for rule_node in rule_nodes) if rule is not None]
    if len(rules) < len(rule_nodes):
        return None
    try:
        return RuleGroup(name, rules, interval=interval, limit=limit, query_offset=query_offset, location=node.location)
    except DefinitionError as error:
        problems.extend(_relocated(error, f"group {name}", entries, node))
        return None


def _rule(node: YamlNode, problems: list[Problem]) -> Alert | Record | None:
    try:
        entries = node.mapping("rule")
        if ("alert" in entries) == ("record" in entries):
            raise node.fail("rule: give exactly one of `alert:` and `record:`")
    except InputError as error:
        problems.append(error.problem)
        return None
    kind = "alert" if "alert" in entries else "record"
    try:
        check_keys(entries, _ALERT_FIELDS if kind == "alert" else _RECORD_FIELDS, kind)
        name = entries[kind].text(kind)
        if "expr" not in entries:
            raise node.fail(f"{kind} {name}: no expr")
        expr = entries["expr"].text(f"{kind} {name}: expr")
        labels = entries["labels"].strings(f"{kind} {name}: labels") if "labels" in entries else {}
        annotations = entries["annotations"].strings(f"alert {name}: annotations") if "annotations" in entries else {}
        if kind == "record":
            return Record(name, expr=expr, labels=labels, location=node.location)
        return Alert(
            name,
            expr=expr,
            for_=_duration(entries, "for", name),
            keep_firing_for=_duration(entries, "keep_firing_for", name),
            labels=labels,
            annotations=annotations,
            verbatim_name=not METRIC_NAME.fullmatch(name),
            location=node.location,
        )
    except InputError as error:
        problems.append(error.problem)
    except DefinitionError as error:
        problems.extend(_relocated(error, f"{kind} {entries[kind].text(kind)}", entries, node))
    return None


def _duration(entries: dict[str, YamlNode], key: str, alert: str) -> str | None:
    """A duration as written, zero included: an explicit `for: 0s` says the alert fires at once on purpose,
    which lint reads as the author's intent where a missing `for` is reported."""
    return entries[key].text(f"alert {alert}: {key}") if key in entries else None


def _relocated(error: DefinitionError, subject: str, entries: dict[str, YamlNode], node: YamlNode) -> list[Problem]:
    """The DSL's problems, each pointing at the line of the field it is about (`alert X: expr: ...`)."""
    relocated = []
    for problem in error.problems:
        field = problem.message.removeprefix(f"{subject}: ").split(":")[0].split(".")[0]
        where = entries[field].location if field in entries else node.location
        relocated.append(Problem(problem.message, where))
    return relocated


def _repeated_group_names(groups: list[RuleGroup]) -> list[Problem]:
    """A module may define a group name once; Prometheus refuses repeated names in one file too."""
    first_by_name: dict[str, RuleGroup] = {}
    problems = []
    for group in groups:
        first = first_by_name.setdefault(group.name, group)
        if first is not group:
            problems.append(Problem(f"group {group.name}: defined twice (first at {first.location})", group.location))
    return problems
