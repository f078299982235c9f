"""Grafana's JSON Schemas (../shared/reference/grafana-jsonschema/) as the independent check of what the model
writes: the dashboard schema, each panel kind's own `Options` and `FieldConfig`, each datasource's query."""

from __future__ import annotations

import json
from typing import Any

from tests.test_dashboards_emit import REFERENCE, validator

KIND_SCHEMAS = {
    "timeseries": "timeseries",
    "stat": "stat",
    "gauge": "gauge",
    "bargauge": "bargauge",
    "table": "table",
    "text": "text",
    "heatmap": "heatmap",
    "piechart": "piechart",
    "barchart": "barchart",
    "state-timeline": "statetimeline",
    "status-history": "statushistory",
    "histogram": "histogram",
    "logs": "logs",
    "xychart": "xychart",
    "trend": "trend",
}
"""The panel kinds Grafana publishes a schema for; the others are checked against the dashboard schema alone."""
QUERY_SCHEMAS = {
    "prometheus": ("prometheus", "Dataquery"),
    "loki": ("loki", "dataquery"),
    "tempo": ("tempo", "Dataquery"),
}


def has_field_config_schema(name: str) -> bool:
    return "FieldConfig" in json.loads((REFERENCE / f"{name}.jsonschema.json").read_text())["definitions"]


def dashboard_schema_errors(document: dict[str, Any]) -> list[str]:
    """Every way a written dashboard breaks the dashboard schema, its panels' kind schemas or their queries'."""
    errors = [f"{e.json_path}: {e.message}" for e in validator("dashboard").iter_errors(document)]
    for panel in (p for top in document["panels"] for p in (top, *top.get("panels", []))):
        title = panel.get("title")
        name = KIND_SCHEMAS.get(panel["type"])
        if name is not None:
            errors += [
                f"{title} options: {e.message}" for e in validator(name, "Options").iter_errors(panel["options"])
            ]
            custom = panel["fieldConfig"]["defaults"].get("custom")
            if custom is not None and has_field_config_schema(name):
                errors += [f"{title} custom: {e.message}" for e in validator(name, "FieldConfig").iter_errors(custom)]
        for target in panel.get("targets", []):
            datasource = (target.get("datasource") or panel.get("datasource") or {}).get("type", "prometheus")
            if datasource in QUERY_SCHEMAS:
                errors += [
                    f"{title} target: {e.message}" for e in validator(*QUERY_SCHEMAS[datasource]).iter_errors(target)
                ]
    return errors
