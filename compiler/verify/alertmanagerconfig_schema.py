"""Validate each emitted AlertmanagerConfig against the JSON Schema the project keeps for it."""

from __future__ import annotations

from compiler.emit.alertmanager_crd import CRD_DIR
from compiler.problems import Problem
from compiler.verify.crd_schema import schema_problems
from compiler.verify.verifier import StagedBuild, Verifier

SCHEMA = "alertmanagerconfig.schema.json"


class AlertmanagerConfigSchema(Verifier):
    """Every AlertmanagerConfig object (v1alpha1) against the schema of what prometheus-operator accepts."""

    artifact = "alertmanager-crd"

    def verify(self, build: StagedBuild) -> list[Problem]:
        return schema_problems(build.tree, CRD_DIR, "AlertmanagerConfig", SCHEMA)
