"""ConfigMaps for kube-prometheus-stack's Grafana sidecar: `kubernetes/dashboards/<uid>.yaml`, one per dashboard."""

from __future__ import annotations

import re

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.yaml_text import header, to_yaml
from compiler.problems import Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings

CONFIGMAP_DIR = "kubernetes/dashboards"
CONFIGMAP_LIMIT = 1024 * 1024
"""Kubernetes refuses a ConfigMap whose data exceeds 1 MiB (etcd's object limit)."""


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
    document = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": configmap_name(uid),
            "namespace": settings.namespace,
            "labels": {settings.configmap_label: settings.configmap_label_value},
            "annotations": {settings.folder_annotation: folder},
        },
        "data": {f"{uid}.json": json_text},
    }
    text = header(source_name) + to_yaml(document)
    size = len(json_text.encode("utf-8"))
    if size > CONFIGMAP_LIMIT:
        return [
            Problem(
                f"dashboard {uid!r}: its ConfigMap would hold {size} bytes, over Kubernetes' 1 MiB limit "
                f"({CONFIGMAP_LIMIT} bytes); split the dashboard",
                source,
            )
        ]
    tree.add(f"{CONFIGMAP_DIR}/{uid}.yaml", text, source)
    return []
