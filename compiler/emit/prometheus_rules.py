"""PrometheusRule CRDs (monitoring.coreos.com/v1) for prometheus-operator and kube-prometheus-stack."""

from __future__ import annotations

import re

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.emitter import Emitter
from compiler.emit.rule_files import emitted_groups_yaml
from compiler.emit.yaml_text import header, indent, to_yaml
from compiler.load.rules import RuleModule
from compiler.model.build import Model
from compiler.problems import Problem
from compiler.settings.project import KubernetesSettings

CRD_DIR = "kubernetes/prometheusrules"
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def crd_name(module: RuleModule) -> str:
    """A Kubernetes object name from the module path: `team/payments_v2` becomes `team-payments-v2`."""
    return module.name.lower().replace("/", "-").replace("_", "-").strip("-")


class PrometheusRules(Emitter):
    """`build/kubernetes/prometheusrules/<name>.yaml`: one PrometheusRule object per source module."""

    name = "prometheus-rules"
    order = 20

    def emit(self, model: Model, tree: ArtifactTree) -> None:
        for module in model.rule_modules:
            emit_prometheus_rule(tree, module, emitted_groups_yaml(tree, module), model.project.settings.kubernetes)


def emit_prometheus_rule(
    tree: ArtifactTree, module: RuleModule, groups_text: str, kubernetes: KubernetesSettings
) -> None:
    """Write the CRD; its `spec` is the rule file's `groups:` document, indented, so the two never differ."""
    name = crd_name(module)
    location = module.groups[0].location
    if len(name) > 253 or not _DNS_SUBDOMAIN.fullmatch(name):
        tree.problems.append(
            Problem(f"module name {module.name!r} gives {name!r}, not a valid Kubernetes object name", location)
        )
        return
    metadata: dict[str, object] = {"name": name, "namespace": kubernetes.namespace}
    if kubernetes.labels:
        metadata["labels"] = dict(sorted(kubernetes.labels.items()))
    if kubernetes.annotations:
        metadata["annotations"] = dict(sorted(kubernetes.annotations.items()))
    head = to_yaml({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": metadata})
    text = header(module.source) + head + "spec:\n" + indent(groups_text, "  ")
    tree.add(f"{CRD_DIR}/{name}.yaml", text, location)
