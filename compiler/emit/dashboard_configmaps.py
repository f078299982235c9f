"""ConfigMaps for kube-prometheus-stack's Grafana sidecar: `kubernetes/dashboards/<uid>.yaml`, one per dashboard."""

from __future__ import annotations

import re
from typing import Any

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.yaml_text import header, to_yaml
from compiler.problems import Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings

CONFIGMAP_DIR = "kubernetes/dashboards"
CONFIGMAP_LIMIT = 1024 * 1024
"""Kubernetes refuses a ConfigMap whose data exceeds 1 MiB (etcd's object limit)."""

_STAND_IN = "{}"
"""A short line that, with its line break, `to_yaml` writes as a literal block (`|`): a dashboard's text's place."""
_PRINTABLE_ASCII_AND_LINE_BREAK = bytes(range(0x20, 0x7F)) + b"\n"
"""The characters a literal block holds as they are; deleting them leaves nothing of such a text, quickly."""


def configmap_name(uid: str) -> str:
    """A DNS-1123 object name from a uid: lower case, `_` as `-`, prefixed so it reads as a dashboard."""
    name = re.sub(r"[^a-z0-9-]+", "-", uid.lower()).strip("-")
    return f"grafana-dashboard-{name}"[:253].rstrip("-")


def emit_dashboard_configmap(
    tree: ArtifactTree,
    uid: str,
    folder: str,
    json_text: str,
    source: SourceLocation,
    settings: GrafanaSettings,
    source_name: str,
) -> list[Problem]:
    """Write the ConfigMap, or say why Kubernetes would refuse it."""
    size = len(json_text.encode("utf-8"))
    if size > CONFIGMAP_LIMIT:
        return [
            Problem(
                f"dashboard {uid!r}: its ConfigMap would hold {size} bytes, over Kubernetes' 1 MiB limit "
                f"({CONFIGMAP_LIMIT} bytes); split the dashboard",
                source,
            )
        ]
    document = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": configmap_name(uid),
            "namespace": settings.namespace,
            "labels": {settings.configmap_label: settings.configmap_label_value},
            "annotations": {settings.folder_annotation: folder},
        },
    }
    text = header(source_name) + configmap_yaml(document, f"{uid}.json", json_text)
    tree.add(f"{CONFIGMAP_DIR}/{uid}.yaml", text, source)
    return []


def configmap_yaml(document: dict[str, Any], key: str, text: str) -> str:
    """`to_yaml({**document, "data": {key: text}})`, the dashboard's text indented in place rather than dumped.

    A dashboard's text is nearly all of the ConfigMap; checking its scalar style and passing it through libyaml
    character by character cost as much as writing the dashboard. When the text is what a literal block holds
    line for line, each line behind the block's indent (printable ASCII apart from "\\n", ending in one line
    break, neither beginning with a space or a line break nor holding an empty line or one ending in a space),
    the block is the document dumped with a stand-in, its one line replaced by the text's lines at the
    stand-in's indent. Any other text (non-ASCII, say) is dumped whole. `tests/emit/test_dashboard_configmaps.py`
    proves both the same as `to_yaml`.
    """
    if not _plain_literal_block(text):
        return to_yaml({**document, "data": {key: text}})
    dumped = to_yaml({**document, "data": {key: _STAND_IN + "\n"}})
    head, _, stand_in_line = dumped.removesuffix("\n").rpartition("\n")
    prefix = stand_in_line.removesuffix(_STAND_IN)
    lines = prefix + text.removesuffix("\n").replace("\n", "\n" + prefix)
    return f"{head}\n{lines}\n"


def _plain_literal_block(text: str) -> bool:
    return (
        text.isascii()
        and text.endswith("\n")
        and "\n\n" not in text
        and not text.startswith((" ", "\n"))
        and " \n" not in text
        and not text.encode("ascii").translate(None, _PRINTABLE_ASCII_AND_LINE_BREAK)
    )
