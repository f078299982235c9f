"""Every datasource a dashboard names by uid is one the build provisions, of the type the dashboard says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import yaml

from compiler.emit.grafana_datasources import DATASOURCES_PATH
from compiler.emit.grafana_provisioning import DASHBOARDS_DIR
from compiler.emit.yaml_text import SAFE_LOADER
from compiler.problems import Problem
from compiler.verify.verifier import StagedBuild, Verifier

BUILT_IN = frozenset({"grafana", "-- Grafana --", "-- Mixed --", "-- Dashboard --"})
"""uids of Grafana's own datasources, never provisioned."""


class DatasourceReferences(Verifier):
    """A fixed uid in a dashboard (not the `${datasource}` variable) must be provisioned with that type."""

    artifact = "grafana-datasources"

    def verify(self, build: StagedBuild) -> list[Problem]:
        text = build.tree.files.get(PurePosixPath(DATASOURCES_PATH))
        if text is None:
            return []
        provisioned = {each["uid"]: each["type"] for each in yaml.load(text, Loader=SAFE_LOADER)["datasources"]}
        problems: list[Problem] = []
        for path in build.tree.paths_under(DASHBOARDS_DIR):
            seen: set[tuple[str, str | None]] = set()
            for uid, kind in references(json.loads(build.tree.files[path])):
                if (uid, kind) in seen:
                    continue
                seen.add((uid, kind))
                if uid not in provisioned:
                    message = f"no datasource with uid {uid!r} is provisioned (uids: {', '.join(sorted(provisioned))})"
                elif kind is not None and provisioned[uid] != kind:
                    message = f"datasource {uid!r} is provisioned as type {provisioned[uid]!r}, not {kind!r}"
                else:
                    continue
                problems.append(
                    Problem(f"{path}: {message}; add it to [tool.moncc.grafana.datasources]", build.tree.sources[path])
                )
        return problems


def references(node: Any) -> Iterator[tuple[str, str | None]]:
    """(uid, type) of every `datasource` object naming a fixed uid, anywhere in a dashboard."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasource" and isinstance(value, dict):
                uid = value.get("uid")
                if isinstance(uid, str) and uid and not uid.startswith("$") and uid not in BUILT_IN:
                    kind = value.get("type")
                    yield uid, kind if isinstance(kind, str) else None
            yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)
