"""Grafana's JSON Schemas (`../shared/reference/grafana-jsonschema/`) as the independent check of every dashboard
moncc writes or migrates: the dashboard schema, each panel kind's own `Options` and `FieldConfig`, each
datasource's query, and the v2 resource. The one place tests read them from.

The published schemas turn CUE's "any value" (a matcher's options, an override property's value, a variable's
query object) into "any object", yet Grafana itself saves `byName` options as a string and property values as
strings and numbers: that one disagreement is not counted as an error, in any branch of a union either.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
SCHEMAS = REFERENCE / "grafana-jsonschema"
EXTERNAL_DASHBOARDS = REFERENCE / "external-dashboards"

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
"""The datasource types Grafana publishes a query schema for."""


@cache
def validator(name: str, definition: str | None = None) -> Draft7Validator:
    """A validator of one schema file, or of one of its definitions."""
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{name}.jsonschema.json").read_text())
    if definition:
        schema = {**schema, "$ref": f"#/definitions/{definition}"}
    return Draft7Validator(schema)


def has_field_config_schema(name: str) -> bool:
    return "FieldConfig" in json.loads((SCHEMAS / f"{name}.jsonschema.json").read_text())["definitions"]


def errors_of(schema: Draft7Validator, value: Any, where: str = "") -> list[str]:
    """How `value` breaks `schema`, one line each, without the "any value" disagreement."""
    return [f"{where}{error.json_path}: {error.message}" for error in schema.iter_errors(value) if not any_value(error)]


def any_value(error: ValidationError) -> bool:
    """Whether the error is only the schema's "any value" read as "any object" (in some branch of a union)."""
    if error.validator == "type" and isinstance(error.schema, dict) and error.schema.get("additionalProperties") == {}:
        return True
    if error.validator in ("anyOf", "oneOf"):
        branches: dict[Any, list[ValidationError]] = {}
        for inner in error.context or []:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        return any(all(any_value(inner) for inner in found) for found in branches.values())
    return False


def panel_errors(panel: dict[str, Any]) -> list[str]:
    """How one panel breaks the dashboard schema's Panel (or RowPanel) shape, its kind's options and field config,
    and its queries' schemas."""
    shape = validator("dashboard", "RowPanel" if panel["type"] == "row" else "Panel")
    return errors_of(shape, panel) + kind_and_query_errors(panel)


def kind_and_query_errors(panel: dict[str, Any]) -> list[str]:
    """How one panel breaks its kind's options and field config schemas, and its queries' schemas."""
    errors: list[str] = []
    title = panel.get("title")
    name = KIND_SCHEMAS.get(panel["type"])
    if name is not None:
        errors += errors_of(validator(name, "Options"), panel.get("options", {}), f"{title} options")
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
        if custom is not None and has_field_config_schema(name):
            errors += errors_of(validator(name, "FieldConfig"), custom, f"{title} custom")
    for target in panel.get("targets", []) if panel["type"] != "row" else []:
        datasource = (target.get("datasource") or panel.get("datasource") or {}).get("type", "prometheus")
        if datasource in QUERY_SCHEMAS:
            errors += errors_of(validator(*QUERY_SCHEMAS[datasource]), target, f"{title} target")
    return errors


def schema_errors(document: dict[str, Any]) -> list[str]:
    """Every way a v1 dashboard breaks the dashboard schema, its panels' kind schemas or their queries'."""
    errors = errors_of(validator("dashboard"), document)
    for panel in (p for top in document["panels"] for p in (top, *top.get("panels", []))):
        errors += kind_and_query_errors(panel)
    return errors


def v2_errors(resource: dict[str, Any]) -> list[str]:
    """Every way a v2 resource breaks Grafana's v2 schema: its spec against `Dashboard`, its header against the
    schema's `DashboardAPIVersion` and `DashboardKind`."""
    definitions = json.loads((SCHEMAS / "dashboardv2.jsonschema.json").read_text())["definitions"]
    errors = errors_of(validator("dashboardv2", "Dashboard"), resource["spec"])
    if resource["apiVersion"] != definitions["DashboardAPIVersion"]["const"]:
        errors.append(f"apiVersion {resource['apiVersion']!r}")
    if resource["kind"] != definitions["DashboardKind"]["const"]:
        errors.append(f"kind {resource['kind']!r}")
    return errors
