"""Validate each emitted OpenSLO document against the JSON Schema of the subset moncc writes.

An SLO whose names OpenSLO refuses (its names are RFC 1123 labels: lower case, digits and `-`) fails the build at
the SLO, instead of a spec the tools that read OpenSLO would reject.
"""

from __future__ import annotations

from compiler.emit.openslo import OPENSLO_DIR
from compiler.problems import Problem
from compiler.verify.crd_schema import schema_problems
from compiler.verify.verifier import StagedBuild, Verifier

SCHEMA = "openslo-slo.schema.json"


class OpenSLOSchema(Verifier):
    """Every `openslo/<slo_id>.yaml` against `schemas/openslo-slo.schema.json`."""

    artifact = "openslo"

    def verify(self, build: StagedBuild) -> list[Problem]:
        return schema_problems(build.tree, OPENSLO_DIR, "OpenSLO SLO", SCHEMA)
