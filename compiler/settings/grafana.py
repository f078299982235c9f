"""`[tool.moncc.grafana]`: how dashboards reach Grafana (file provisioning, kube-prometheus-stack sidecar)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator

_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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

    @field_validator("datasource_variable")
    @classmethod
    def _variable_name(cls, name: str) -> str:
        if not _VARIABLE_NAME.fullmatch(name):
            raise ValueError(f"invalid variable name {name!r}: must match [A-Za-z_][A-Za-z0-9_]*")
        return name

    @property
    def datasource_ref(self) -> dict[str, str]:
        """The reference panels, targets and query variables use: the datasource chosen on the dashboard."""
        return {"type": self.datasource_type, "uid": f"${{{self.datasource_variable}}}"}
