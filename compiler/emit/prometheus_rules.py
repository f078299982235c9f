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
from compiler.settings.project import KubernetesSettings, setting_location

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
        kubernetes = model.project.settings.kubernetes
        for module in model.rule_modules:
            emit_prometheus_rule(tree, module, emitted_groups_yaml(tree, module), kubernetes)
        tree.problems.extend(unknown_modules(model, kubernetes))


def unknown_modules(model: Model, kubernetes: KubernetesSettings) -> list[Problem]:
    """A `[tool.moncc.kubernetes.prometheus_rules.<module>]` table naming no rule module, at its line."""
    known = {module.name for module in model.rule_modules}
    pyproject = model.project.root / "pyproject.toml"
    return [
        Problem(
            f"[tool.moncc] kubernetes.prometheus_rules: no rule module is named {name!r} "
            f"(modules: {', '.join(sorted(known)) or 'none'})",
            setting_location(pyproject, ["kubernetes", "prometheus_rules", name]),
        )
        for name in kubernetes.prometheus_rules
        if name not in known
    ]


def emit_prometheus_rule(
    tree: ArtifactTree, module: RuleModule, groups_text: str, kubernetes: KubernetesSettings
) -> None:
    """Write the CRD; its `spec` is the rule file's `groups:` document, indented, so the two never differ.

    Its name and namespace are the module's and `kubernetes.namespace`, unless
    `[tool.moncc.kubernetes.prometheus_rules.<module>]` says otherwise.
    """
    chosen = kubernetes.prometheus_rules.get(module.name)
    name = chosen.name if chosen is not None and chosen.name is not None else crd_name(module)
    namespace = chosen.namespace if chosen is not None and chosen.namespace is not None else kubernetes.namespace
    location = module.groups[0].location
    if len(name) > 253 or not _DNS_SUBDOMAIN.fullmatch(name):
        tree.problems.append(
            Problem(f"module name {module.name!r} gives {name!r}, not a valid Kubernetes object name", location)
        )
        return
    metadata: dict[str, object] = {"name": name, "namespace": namespace}
    if kubernetes.labels:
        metadata["labels"] = dict(sorted(kubernetes.labels.items()))
    if kubernetes.annotations:
        metadata["annotations"] = dict(sorted(kubernetes.annotations.items()))
    head = to_yaml({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": metadata})
    text = header(module.source) + head + "spec:\n" + indent(groups_text, "  ")
    tree.add(f"{CRD_DIR}/{name}.yaml", text, location)
