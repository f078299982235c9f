"""Validate emitted Kubernetes objects against the JSON Schemas the project keeps for them (`schemas/`).

Each object kind's verifier names its folder and schema; this module holds what they share, and the
PrometheusRule verifier.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.prometheus_rules import CRD_DIR
from compiler.emit.yaml_text import SAFE_LOADER
from compiler.problems import Problem, SourceLocation
from compiler.verify.verifier import StagedBuild, Verifier


@cache
def schema_validator(schema_file: str) -> Draft202012Validator:
    """The validator of `compiler/verify/schemas/<schema_file>`, the schema itself checked once per run."""
    schema: dict[str, Any] = json.loads(
        resources.files("compiler.verify").joinpath(f"schemas/{schema_file}").read_text(encoding="utf-8")
    )
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(tree: ArtifactTree, folder: str, kind: str, schema_file: str) -> list[Problem]:
    """Every error of every staged file below `folder`, one problem each, at the source that made the file."""
    return [
        problem
        for path in tree.paths_under(folder)
        for problem in document_problems(path, tree.files[path], tree.sources[path], kind, schema_file)
    ]


def document_problems(
    path: PurePosixPath, text: str, source: SourceLocation, kind: str, schema_file: str
) -> list[Problem]:
    """One YAML document against the schema, as the Kubernetes API server would check the object."""
    document = yaml.load(text, Loader=SAFE_LOADER)
    return [
        Problem(f"{path}: not a valid {kind} at {error.json_path}: {error.message}", source)
        for error in sorted(schema_validator(schema_file).iter_errors(document), key=lambda e: e.json_path)
    ]


class PrometheusRuleSchema(Verifier):
    """Every PrometheusRule object against the CRD's schema, as the Kubernetes API server would check it."""

    artifact = "prometheus-rules"

    def verify(self, build: StagedBuild) -> list[Problem]:
        return schema_problems(build.tree, CRD_DIR, "PrometheusRule", "prometheusrule.schema.json")
