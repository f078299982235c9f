"""Prometheus rule files: `build/prometheus/<module>.rules.yaml`, one per source module."""

from __future__ import annotations

from typing import Any

from compiler.dsl.durations import format_duration
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.emit.artifacts import ArtifactTree
from compiler.emit.yaml_text import header, to_yaml
from compiler.load.rules import RuleModule

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


def emit_rule_file(tree: ArtifactTree, module: RuleModule, groups_text: str) -> None:
    tree.add(rule_file_path(module), header(module.source) + groups_text, module.groups[0].location)
