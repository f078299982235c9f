"""`[tool.moncc.grafana]`: how dashboards reach Grafana (file provisioning, kube-prometheus-stack sidecar)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_PLUGIN_ID = re.compile(r"[a-z0-9][-a-z0-9]*")
_URL = re.compile(r"https?://[^\s/]+(/\S*)?")
DEFAULT_PROMETHEUS_URL = "http://prometheus-operated.monitoring.svc:9090"
"""The Service prometheus-operator makes for every Prometheus (kube-prometheus-stack's in `monitoring`)."""


def check_url(url: str) -> str:
    if not _URL.fullmatch(url):
        raise ValueError(f"{url!r} is not an http:// or https:// URL")
    return url


class Datasource(BaseModel):
    """`[tool.moncc.grafana.datasources.<name>]`: one datasource Grafana provisions."""

    model_config = ConfigDict(extra="forbid")

    type: str
    """The plugin id: `prometheus`, `alertmanager`, `loki`, `tempo`, `jaeger`, ..."""
    url: str
    uid: str
    """What dashboards reference it by; at most 40 letters, digits, `-` and `_`, as Grafana allows."""
    is_default: bool = False
    json_data: dict[str, Any] = Field(default_factory=dict)
    """Grafana's `jsonData` (an Alertmanager datasource: `{implementation = "prometheus"}`)."""

    @field_validator("type")
    @classmethod
    def _plugin_id(cls, plugin: str) -> str:
        if not _PLUGIN_ID.fullmatch(plugin):
            raise ValueError(f"{plugin!r} is not a Grafana plugin id (lowercase letters, digits, '-')")
        return plugin

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        return check_url(url)

    @field_validator("uid")
    @classmethod
    def _uid(cls, uid: str) -> str:
        if not _UID.fullmatch(uid):
            raise ValueError(f"{uid!r} is not a Grafana uid (at most 40 letters, digits, '-' and '_')")
        return uid


class GrafanaSettings(BaseModel):
    """Every field optional; the defaults suit kube-prometheus-stack and a stock Grafana container."""

    model_config = ConfigDict(extra="forbid")

    datasource_type: str = "prometheus"
    """The plugin type of the datasource every panel queries (the `datasource` variable lists these)."""
    datasource_variable: str = "datasource"
    """The template variable every dashboard defines; panels reference it as `{type, uid: "${datasource}"}`."""
    provisioning_path: str = "/var/lib/grafana/dashboards"
    """Where Grafana finds `build/grafana/dashboards/` (the file provider's `options.path`)."""
    provider_name: str = "moncc"
    namespace: str = "monitoring"
    """Namespace of the dashboard ConfigMaps."""
    configmap_label: str = "grafana_dashboard"
    configmap_label_value: str = "1"
    """The label the Grafana sidecar selects ConfigMaps on (kube-prometheus-stack: `grafana_dashboard: "1"`)."""
    folder_annotation: str = "grafana_folder"
    """The annotation the sidecar reads the folder from (`sidecar.dashboards.folderAnnotation`)."""
    prometheus_url: str = DEFAULT_PROMETHEUS_URL
    """The URL of the default Prometheus datasource, when `datasources` is not set."""
    datasources: dict[str, Datasource] = Field(default_factory=dict)
    """name → datasource, provisioned in `grafana/provisioning/datasources.yaml`; empty: one Prometheus
    (`datasource_type` at `prometheus_url`, uid `datasource_type`), the default."""
    dashboard_schema: Literal["v1", "v2"] = "v1"
    """The schema of the dashboard files: `v1`, the classic JSON model every Grafana reads, or `v2`, the
    `dashboard.grafana.app/v2` resource (GA in Grafana 13), written from the same document."""

    @field_validator("datasource_variable")
    @classmethod
    def _variable_name(cls, name: str) -> str:
        if not _VARIABLE_NAME.fullmatch(name):
            raise ValueError(f"invalid variable name {name!r}: must match [A-Za-z_][A-Za-z0-9_]*")
        return name

    @field_validator("datasources")
    @classmethod
    def _datasources(cls, datasources: dict[str, Datasource], info: ValidationInfo) -> object:
        if not datasources:
            return datasources
        wanted = info.data.get("datasource_type", "prometheus")
        if not any(each.type == wanted for each in datasources.values()):
            variable = info.data.get("datasource_variable", "datasource")
            raise ValueError(
                f"none of type {wanted!r} (datasource_type): the {variable!r} variable of every dashboard would "
                "list nothing"
            )
        defaults = [name for name, each in datasources.items() if each.is_default]
        if len(defaults) > 1:
            raise ValueError(f"only one may be the default, got {', '.join(defaults)}")
        uids = [each.uid for each in datasources.values()]
        shared = sorted({uid for uid in uids if uids.count(uid) > 1})
        if shared:
            raise ValueError(f"uid {', '.join(shared)} given to two datasources")
        return datasources

    @property
    def provisioned_datasources(self) -> dict[str, Datasource]:
        """Every datasource to provision; exactly one the default (the first of `datasource_type` unless one is
        marked), so each dashboard's datasource variable opens on it."""
        if not self.datasources:
            prometheus = Datasource(type=self.datasource_type, url=self.prometheus_url, uid=self.datasource_type)
            return {"Prometheus": prometheus.model_copy(update={"is_default": True})}
        if any(each.is_default for each in self.datasources.values()):
            return dict(self.datasources)
        first = next(name for name, each in self.datasources.items() if each.type == self.datasource_type)
        return {
            name: each.model_copy(update={"is_default": True}) if name == first else each
            for name, each in self.datasources.items()
        }

    @field_validator("prometheus_url")
    @classmethod
    def _prometheus_url(cls, url: str) -> str:
        return check_url(url)

    @property
    def datasource_ref(self) -> dict[str, str]:
        """The reference panels, targets and query variables use: the datasource chosen on the dashboard."""
        return {"type": self.datasource_type, "uid": f"${{{self.datasource_variable}}}"}
