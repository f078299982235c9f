"""Read OpenSLO SLO documents (`openslo/v1alpha` and `openslo/v1`) with ratio metrics into SLOs.

Each objective becomes one SLO named `<name>-<index>`, the name Sloth gives it, so dashboards and alerts built on
Sloth's output keep working, unless `moncc/service` and `moncc/name` annotations (written by moncc's own OpenSLO
export) name a document's one objective. `good` events become an error ratio `1 - good / total`; `bad` ones a
ratio SLI; a raw ratio of failures (`rawType: failure`) an error ratio SLI, of successes its complement.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from compiler.dsl.slo import SLO, ErrorRatioSLI, RatioSLI
from compiler.import_command.slo_documents import built_slos, window_query
from compiler.import_command.yaml_documents import YamlNode, check_keys

_API_VERSIONS = ("openslo/v1alpha", "openslo/v1")
_UNITS = {"Second": "s", "Minute": "m", "Hour": "h", "Day": "d", "Week": "w"}


def read_openslo(path: Path) -> list[SLO]:
    return built_slos(path, _document_slos)


def _document_slos(document: YamlNode) -> list[SLO]:
    entries = document.mapping("document")
    kind = entries["kind"].text("kind") if "kind" in entries else ""
    api_version = entries["apiVersion"].text("apiVersion") if "apiVersion" in entries else ""
    if kind != "SLO" or api_version not in _API_VERSIONS:
        raise document.fail(
            f"unknown kind {kind or '(none)'} of apiVersion {api_version or '(none)'}: expected an OpenSLO SLO "
            f"({' or '.join(_API_VERSIONS)})"
        )
    for required in ("metadata", "spec"):
        if required not in entries:
            raise document.fail(f"SLO: no {required}")
    metadata = entries["metadata"].mapping("metadata")
    if "name" not in metadata:
        raise entries["metadata"].fail("metadata: no name")
    name = metadata["name"].text("metadata.name")
    own_service, own_name = _annotation(metadata, "moncc/service"), _annotation(metadata, "moncc/name")
    spec_node = entries["spec"]
    spec = spec_node.mapping("spec")
    method = spec["budgetingMethod"].text("budgetingMethod") if "budgetingMethod" in spec else "Occurrences"
    if method != "Occurrences":
        raise spec["budgetingMethod"].fail(f"budgetingMethod {method}: only Occurrences (event ratios) is supported")
    period = _period(spec, spec_node, api_version)
    objectives = spec["objectives"].sequence("objectives") if "objectives" in spec else []
    indicator = _v1_indicator(spec, spec_node) if api_version == "openslo/v1" else None
    return [
        SLO(
            service=own_service or (spec["service"].text("service") if "service" in spec else name),
            name=own_name if own_name is not None and len(objectives) == 1 else f"{name}-{index}",
            objective=float(Decimal(str(_target(objective))) * 100),
            period=period,
            description=spec["description"].text("description") if "description" in spec else None,
            sli=_sli(indicator or _v1alpha_ratio(objective)),
            location=objective.location,
        )
        for index, objective in enumerate(objectives)
    ]


def _annotation(metadata: dict[str, YamlNode], key: str) -> str | None:
    """The SLO's service or name as moncc's export keeps it."""
    if "annotations" not in metadata:
        return None
    annotations = metadata["annotations"].mapping("metadata.annotations")
    return annotations[key].text(key) if key in annotations else None


def _period(spec: dict[str, YamlNode], node: YamlNode, api_version: str) -> str:
    """A rolling window; calendar-aligned windows are not what these SLOs compute."""
    key = "timeWindows" if api_version == "openslo/v1alpha" else "timeWindow"
    windows = spec[key].sequence(key) if key in spec else []
    if len(windows) != 1:
        raise node.fail(f"{key}: expected one time window, got {len(windows)}")
    window = windows[0].mapping("time window")
    if "calendar" in window or ("isRolling" in window and not window["isRolling"].boolean("isRolling")):
        raise windows[0].fail("calendar-aligned time windows are not supported; use a rolling window")
    if "duration" in window:
        return window["duration"].text("duration")
    unit = window["unit"].text("unit") if "unit" in window else ""
    if unit not in _UNITS:
        raise windows[0].fail(f"unit {unit or '(none)'}: expected one of {', '.join(_UNITS)}")
    return f"{window['count'].integer('count') if 'count' in window else 1}{_UNITS[unit]}"


def _target(objective: YamlNode) -> float:
    entries = objective.mapping("objective")
    if "targetPercent" in entries:
        return entries["targetPercent"].number("targetPercent") / 100
    if "target" not in entries:
        raise objective.fail("objective: no target")
    return entries["target"].number("target")


def _v1alpha_ratio(objective: YamlNode) -> YamlNode:
    entries = objective.mapping("objective")
    if "ratioMetrics" not in entries:
        raise objective.fail("objective: only ratioMetrics are supported")
    return entries["ratioMetrics"]


def _v1_indicator(spec: dict[str, YamlNode], node: YamlNode) -> YamlNode:
    if "indicator" not in spec:
        raise node.fail("spec: an inline indicator is required (indicatorRef is not supported)")
    indicator = spec["indicator"].mapping("indicator")
    if "spec" not in indicator:
        raise spec["indicator"].fail("indicator: no spec")
    indicator_spec = indicator["spec"].mapping("indicator spec")
    if "ratioMetric" not in indicator_spec:
        raise indicator["spec"].fail("indicator: only ratioMetric is supported")
    return indicator_spec["ratioMetric"]


def _sli(ratio: YamlNode) -> RatioSLI | ErrorRatioSLI:
    entries = ratio.mapping("ratio metric")
    check_keys(entries, ("counter", "good", "bad", "total", "raw", "rawType"), "ratio metric")
    if "raw" in entries:
        return _raw_sli(ratio, entries)
    if "total" not in entries or ("good" in entries) == ("bad" in entries):
        raise ratio.fail("ratio metric: give total and one of good and bad")
    total = _query(entries["total"])
    if "bad" in entries:
        return RatioSLI(errors=_query(entries["bad"]), total=total, location=ratio.location)
    good = _query(entries["good"])
    return ErrorRatioSLI(query=f"1 - (\n  ({good})\n  /\n  ({total})\n)", location=ratio.location)


def _raw_sli(ratio: YamlNode, entries: dict[str, YamlNode]) -> ErrorRatioSLI:
    """A ready-made ratio: of failures, the error ratio itself; of successes, its complement."""
    raw_type = entries["rawType"].text("rawType") if "rawType" in entries else ""
    if raw_type not in ("failure", "success"):
        raise ratio.fail(f"ratio metric: rawType {raw_type or '(none)'}: expected failure or success")
    query = _query(entries["raw"])
    if raw_type == "success":
        query = f"1 - (\n  {query}\n)"
    return ErrorRatioSLI(query=query, location=ratio.location)


def _query(node: YamlNode) -> str:
    """The PromQL of a metric source: `query` (v1alpha) or `metricSource.spec.query` (v1)."""
    entries = node.mapping("metric")
    if "metricSource" in entries:
        source = entries["metricSource"].mapping("metricSource")
        entries = source["spec"].mapping("metricSource.spec") if "spec" in source else {}
    if "query" not in entries:
        raise node.fail("metric: no query (only Prometheus queries are supported)")
    return window_query(entries["query"])
