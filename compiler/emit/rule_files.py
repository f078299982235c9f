"""Prometheus rule files: `build/prometheus/<module>.rules.yaml`, one per source module."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from compiler.dsl.durations import format_duration
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.emitter import Emitter
from compiler.emit.yaml_text import header, to_yaml
from compiler.load.rules import RuleModule
from compiler.model.build import Model

RULE_FILES_DIR = "prometheus"


def rule_file_path(module: RuleModule) -> str:
    return f"{RULE_FILES_DIR}/{module.name}.rules.yaml"


def rule_document(rule: Alert | Record) -> dict[str, Any]:
    """One rule with the conventional key order: alert/record, expr, for, keep_firing_for, labels,
    annotations; empty fields left out."""
    if isinstance(rule, Alert):
        document: dict[str, Any] = {"alert": rule.name, "expr": rule.expr}
        if rule.for_ is not None:
            document["for"] = format_duration(rule.for_)
        if rule.keep_firing_for is not None:
            document["keep_firing_for"] = format_duration(rule.keep_firing_for)
    else:
        document = {"record": rule.name, "expr": rule.expr}
    if rule.labels:
        document["labels"] = rule.labels
    if isinstance(rule, Alert) and rule.annotations:
        document["annotations"] = rule.annotations
    return document


def group_document(group: RuleGroup) -> dict[str, Any]:
    document: dict[str, Any] = {"name": group.name}
    if group.interval is not None:
        document["interval"] = format_duration(group.interval)
    if group.limit is not None:
        document["limit"] = group.limit
    if group.query_offset is not None:
        document["query_offset"] = format_duration(group.query_offset)
    document["rules"] = [rule_document(rule) for rule in group.rules]
    return document


def groups_yaml(module: RuleModule) -> str:
    """The `groups:` document of a module, shared by its rule file and its CRD."""
    return to_yaml({"groups": [group_document(group) for group in module.groups]})


def emitted_groups_yaml(tree: ArtifactTree, module: RuleModule) -> str:
    """The `groups:` document the module's rule file already holds (dumped once for both artifacts), or
    dumped now when the rule file was refused."""
    text = tree.files.get(PurePosixPath(rule_file_path(module)))
    return text.removeprefix(header(module.source)) if text is not None else groups_yaml(module)


class RuleFiles(Emitter):
    """`build/prometheus/<module>.rules.yaml`: one plain rule file per source module."""

    name = "rule-files"
    order = 10

    def emit(self, model: Model, tree: ArtifactTree) -> None:
        for module in model.rule_modules:
            tree.add(rule_file_path(module), header(module.source) + groups_yaml(module), module.groups[0].location)
