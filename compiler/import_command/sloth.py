"""Read Sloth SLO specs (`prometheus/v1` files and `sloth.slok.dev/v1` PrometheusServiceLevel CRDs) into SLOs.

Sloth's service-level labels are merged into each SLO's own, as Sloth applies them; the CRD spells its keys in
camelCase, the file format in snake_case, and both mean the same.
"""

from __future__ import annotations

from pathlib import Path

from compiler.dsl.slo import SLO, Alerting, ErrorRatioSLI, RatioSLI, Tier
from compiler.import_command.slo_documents import built_slos, window_query
from compiler.import_command.yaml_documents import YamlNode, check_keys

_SPEC_FIELDS = ("service", "labels", "slos")
_SLO_FIELDS = ("name", "objective", "description", "labels", "sli", "alerting")
_CRD_KEYS = {
    "error_query": "errorQuery",
    "total_query": "totalQuery",
    "error_ratio_query": "errorRatioQuery",
    "page_alert": "pageAlert",
    "ticket_alert": "ticketAlert",
}


def read_sloth(path: Path) -> list[SLO]:
    """Every SLO of every document in the file; raises with every problem found."""
    return built_slos(path, _document_slos)


def _document_slos(document: YamlNode) -> list[SLO]:
    entries = document.mapping("document")
    if entries.get("version") is not None and entries["version"].text("version") == "prometheus/v1":
        check_keys(entries, ("version", *_SPEC_FIELDS), "Sloth prometheus/v1 spec")
        return _spec_slos(entries, document, {})
    kind = entries["kind"].text("kind") if "kind" in entries else ""
    api_version = entries["apiVersion"].text("apiVersion") if "apiVersion" in entries else ""
    if kind != "PrometheusServiceLevel" or api_version != "sloth.slok.dev/v1":
        raise document.fail(
            f"unknown kind {kind or '(none)'} of apiVersion {api_version or '(none)'}: expected a Sloth spec "
            "(version: prometheus/v1) or a PrometheusServiceLevel of sloth.slok.dev/v1"
        )
    check_keys(entries, ("apiVersion", "kind", "metadata", "spec"), "PrometheusServiceLevel")
    if "spec" not in entries:
        raise document.fail("PrometheusServiceLevel: no spec")
    spec = entries["spec"].mapping("spec")
    check_keys(spec, _SPEC_FIELDS, "PrometheusServiceLevel spec")
    return _spec_slos(spec, entries["spec"], _CRD_KEYS)


def _spec_slos(entries: dict[str, YamlNode], node: YamlNode, keys: dict[str, str]) -> list[SLO]:
    if "service" not in entries:
        raise node.fail("no service")
    service = entries["service"].text("service")
    labels = entries["labels"].strings("labels") if "labels" in entries else {}
    slo_nodes = entries["slos"].sequence("slos") if "slos" in entries else []
    return [_slo(slo_node, service, labels, keys) for slo_node in slo_nodes]


def _slo(node: YamlNode, service: str, service_labels: dict[str, str], keys: dict[str, str]) -> SLO:
    entries = node.mapping("slo")
    check_keys(entries, _SLO_FIELDS, "slo")
    for required in ("name", "objective", "sli"):
        if required not in entries:
            raise node.fail(f"slo: no {required}")
    own_labels = entries["labels"].strings("labels") if "labels" in entries else {}
    return SLO(
        service=service,
        name=entries["name"].text("name"),
        objective=entries["objective"].number("objective"),
        description=entries["description"].text("description") if "description" in entries else None,
        labels={**service_labels, **own_labels},
        sli=_sli(entries["sli"], keys),
        alerting=_alerting(entries["alerting"], keys) if "alerting" in entries else None,
        location=node.location,
    )


def _sli(node: YamlNode, keys: dict[str, str]) -> RatioSLI | ErrorRatioSLI:
    entries = node.mapping("sli")
    check_keys(entries, ("events", "raw"), "sli (plugins are not supported)")
    if "events" in entries:
        events = entries["events"].mapping("events")
        error_key, total_key = keys.get("error_query", "error_query"), keys.get("total_query", "total_query")
        check_keys(events, (error_key, total_key), "events")
        for key in (error_key, total_key):
            if key not in events:
                raise entries["events"].fail(f"events: no {key}")
        return RatioSLI(
            errors=window_query(events[error_key]),
            total=window_query(events[total_key]),
            location=entries["events"].location,
        )
    if "raw" not in entries:
        raise node.fail("sli: give events or raw")
    raw = entries["raw"].mapping("raw")
    ratio_key = keys.get("error_ratio_query", "error_ratio_query")
    check_keys(raw, (ratio_key,), "raw")
    if ratio_key not in raw:
        raise entries["raw"].fail(f"raw: no {ratio_key}")
    return ErrorRatioSLI(query=window_query(raw[ratio_key]), location=entries["raw"].location)


def _alerting(node: YamlNode, keys: dict[str, str]) -> Alerting:
    entries = node.mapping("alerting")
    page_key, ticket_key = keys.get("page_alert", "page_alert"), keys.get("ticket_alert", "ticket_alert")
    check_keys(entries, ("name", "labels", "annotations", page_key, ticket_key), "alerting")
    return Alerting(
        name=entries["name"].text("name") if "name" in entries else None,
        labels=entries["labels"].strings("labels") if "labels" in entries else {},
        annotations=entries["annotations"].strings("annotations") if "annotations" in entries else {},
        page=_tier(entries.get(page_key), node),
        ticket=_tier(entries.get(ticket_key), node),
        location=node.location,
    )


def _tier(node: YamlNode | None, alerting: YamlNode) -> Tier:
    if node is None or node.is_null:
        return Tier(location=(node or alerting).location)
    entries = node.mapping("alert")
    check_keys(entries, ("disable", "labels", "annotations"), "alert")
    if "disable" in entries and entries["disable"].boolean("disable"):
        return Tier(enabled=False, location=node.location)
    return Tier(
        labels=entries["labels"].strings("labels") if "labels" in entries else {},
        annotations=entries["annotations"].strings("annotations") if "annotations" in entries else {},
        location=node.location,
    )
