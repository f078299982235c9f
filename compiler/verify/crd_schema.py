"""Validate each emitted PrometheusRule against the JSON Schema the project keeps for it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from compiler.emit.prometheus_rules import CRD_DIR
from compiler.emit.yaml_text import SAFE_LOADER
from compiler.problems import Problem, SourceLocation
from compiler.verify.verifier import StagedBuild, Verifier


@cache
def prometheus_rule_validator() -> Draft202012Validator:
    schema: dict[str, Any] = json.loads(
        resources.files("compiler.verify").joinpath("schemas/prometheusrule.schema.json").read_text()
    )
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


class PrometheusRuleSchema(Verifier):
    """Every PrometheusRule object against the CRD's schema, as the Kubernetes API server would check it."""

    artifact = "prometheus-rules"

    def verify(self, build: StagedBuild) -> list[Problem]:
        tree = build.tree
        return [
            problem
            for path in tree.paths_under(CRD_DIR)
            for problem in check_prometheus_rule(path, tree.files[path], tree.sources[path])
        ]


def check_prometheus_rule(path: PurePosixPath, text: str, source: SourceLocation) -> list[Problem]:
    document = yaml.load(text, Loader=SAFE_LOADER)
    return [
        Problem(f"{path}: not a valid PrometheusRule at {error.json_path}: {error.message}", source)
        for error in sorted(prometheus_rule_validator().iter_errors(document), key=lambda e: e.json_path)
    ]
