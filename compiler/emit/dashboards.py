"""Dashboards: the model's documents written as JSON, with Grafana's file provider and sidecar ConfigMaps."""

from __future__ import annotations

from collections.abc import Iterable

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.dashboard_configmaps import emit_dashboard_configmap
from compiler.emit.dashboard_text import json_text
from compiler.emit.emitter import Emitter
from compiler.emit.grafana_provisioning import PROVIDER_PATH, dashboard_path, provider_yaml
from compiler.grafana.write_v2 import v2_document
from compiler.model.build import AdaptedDashboard, Model
from compiler.model.dashboards.document import valid_uid
from compiler.problems import Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings


class Dashboards(Emitter):
    """`build/grafana/...` and `build/kubernetes/dashboards/...`: every dashboard, and how Grafana finds it.

    The provider file is written only when there is at least one dashboard, so a repository without
    dashboards gets no Grafana artifacts at all.
    """

    name = "dashboards"
    order = 40

    def emit(self, model: Model, tree: ArtifactTree) -> None:
        settings = model.project.settings.grafana
        tree.problems.extend(emit_dashboards(tree, model.dashboards, settings))


def emit_dashboards(
    tree: ArtifactTree, dashboards: Iterable[AdaptedDashboard], settings: GrafanaSettings
) -> list[Problem]:
    """Write every dashboard once (the model reports a shared or unusable uid; it is not written); return the
    problems of the ConfigMaps."""
    problems: list[Problem] = []
    seen: set[str] = set()
    first: SourceLocation | None = None
    for dashboard in dashboards:
        first = first or dashboard.location
        uid = dashboard.uid
        if uid in seen or not valid_uid(uid):
            continue  # an invalid uid would also be an unsafe file name
        seen.add(uid)
        text = json_text(dashboard.document) if settings.dashboard_schema == "v1" else _v2_text(dashboard, problems)
        folder = dashboard.module.folder
        tree.add(dashboard_path(folder, uid), text, dashboard.location)
        problems.extend(
            emit_dashboard_configmap(tree, uid, folder, text, dashboard.location, settings, dashboard.module.source)
        )
    if first is not None:
        tree.add(PROVIDER_PATH, provider_yaml(settings), first)
    return problems


def _v2_text(dashboard: AdaptedDashboard, problems: list[Problem]) -> str:
    """`dashboard_schema = "v2"`: the same document as a v2 resource; what v2 cannot hold fails the build."""
    converted = v2_document(dashboard.document)
    problems.extend(
        Problem(f'dashboard {dashboard.title!r}: {message} (dashboard_schema = "v2")', dashboard.location)
        for message in converted.problems
    )
    return json_text(converted.resource)
