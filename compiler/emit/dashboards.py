"""The one entry point the pipeline calls for dashboards: convert, write JSON + provider + ConfigMaps, check."""

from __future__ import annotations

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.dashboard_configmaps import emit_dashboard_configmap
from compiler.emit.dashboard_text import json_text
from compiler.emit.grafana_provisioning import PROVIDER_PATH, dashboard_path, provider_yaml
from compiler.load.dashboards import LoadedDashboards
from compiler.model.dashboards.document import modern_dashboard, valid_uid
from compiler.problems import Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings
from compiler.verify.dashboard_queries import check_dashboard_queries, check_unique_uids


def emit_dashboards(
    tree: ArtifactTree, loaded: LoadedDashboards, settings: GrafanaSettings, recorded_names: set[str]
) -> list[Problem]:
    """Emit every loaded dashboard into `tree` and return every problem found (conversion and checks).

    The provider file is written only when there is at least one dashboard, so a repository without
    dashboards gets no Grafana artifacts at all. Path problems go to `tree.problems`, as for other emitters.
    """
    problems: list[Problem] = []
    uids: list[tuple[str, str, SourceLocation]] = []
    seen: set[str] = set()
    for module, located in loaded.dashboards:
        converted = modern_dashboard(located.dashboard, module.name, settings)
        document = converted.document
        title = str(document.get("title", ""))
        problems.extend(Problem(f"dashboard {title!r}: {message}", located.location) for message in converted.problems)
        problems.extend(check_dashboard_queries(document, located.location, recorded_names, settings.datasource_type))
        uid = str(document["uid"])
        duplicate = uid in seen
        seen.add(uid)
        uids.append((uid, title, located.location))
        if duplicate or not valid_uid(uid):
            continue  # already reported; an invalid uid would also be an unsafe file name
        text = json_text(document)
        tree.add(dashboard_path(module.folder, uid), text, located.location)
        problems.extend(
            emit_dashboard_configmap(tree, uid, module.folder, text, located.location, settings, module.source)
        )
    problems.extend(check_unique_uids(uids))
    if uids:
        tree.add(PROVIDER_PATH, provider_yaml(settings), uids[0][2])
    return problems
