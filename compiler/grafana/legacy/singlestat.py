"""The AngularJS `singlestat` panel migrated to `stat`, or to `gauge` when it drew one, as Grafana does.

Follows Grafana's `sharedSingleStatPanelChangedHandler` with `statPanelChangedHandler`/`gaugePanelChangedHandler`:
the value shown (`valueName`, "avg" when absent, Grafana's default) becomes the reducer, `format` the unit,
`thresholds` "50,80" with `colors` threshold steps, `valueMaps`/`rangeMaps` value mappings (coloured as the
thresholds colour the mapped text), the sparkline an area graph, colorBackground/colorValue the color mode,
`gauge.show` a gauge with its min, max and markers.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.legacy.notes import PanelNotes, quoted
from compiler.grafana.legacy.values import mapping, number

_REDUCERS = {
    "avg": "mean",
    "current": "lastNotNull",
    "total": "sum",
    "min": "min",
    "max": "max",
    "first": "firstNotNull",
    "delta": "delta",
    "diff": "diff",
    "range": "range",
    "last": "last",
    "lastNotNull": "lastNotNull",
    "mean": "mean",
    "sum": "sum",
    "count": "count",
}
"""The singlestat's values and their reducers. AngularJS "first" skipped nulls; Grafana's frontend maps it to
"first" (which does not), its backend migration to "firstNotNull": the latter keeps the number shown."""
_DEFAULT_VALUE_NAME = "avg"
_PERCENT_RANGES = {"percent": (0, 100), "percentunit": (0, 1)}


def migrate_singlestat(panel: dict[str, Any], new: dict[str, Any], notes: PanelNotes) -> None:
    """Fill `new` (the kept fields, its type already `stat` or `gauge`) from the legacy singlestat `panel`."""
    defaults: dict[str, Any] = {}
    options: dict[str, Any] = {"orientation": "horizontal", "reduceOptions": _reduce_options(panel, notes)}
    if panel.get("format"):
        defaults["unit"] = panel["format"]
    if panel.get("nullText"):
        defaults["noValue"] = panel["nullText"]
    if number(panel.get("decimals")) is not None:
        defaults["decimals"] = number(panel["decimals"])
    steps = _threshold_steps(panel)
    if steps:
        defaults["thresholds"] = {"mode": "absolute", "steps": steps}
    mappings = value_mappings(panel, steps)
    if mappings:
        defaults["mappings"] = mappings
    gauge = mapping(panel.get("gauge"))
    if new["type"] == "gauge":
        defaults["min"] = number(gauge.get("minValue"))
        defaults["max"] = number(gauge.get("maxValue"))
        options.update(_gauge_options(gauge))
    else:
        options.update(_stat_options(panel, defaults))
    unit_range = _PERCENT_RANGES.get(str(defaults.get("unit")))
    if unit_range is not None:
        for bound, value in zip(("min", "max"), unit_range, strict=True):
            if defaults.get(bound) is None:
                defaults[bound] = value
    new["fieldConfig"] = {"defaults": {key: value for key, value in defaults.items() if value is not None}}
    new["fieldConfig"]["overrides"] = []
    new["options"] = options
    _note_dropped(panel, notes)


def _reduce_options(panel: dict[str, Any], notes: PanelNotes) -> dict[str, Any]:
    value_name = panel.get("valueName")
    shown = value_name if isinstance(value_name, str) else _DEFAULT_VALUE_NAME
    calc = _REDUCERS.get(shown, "mean")
    reduce: dict[str, Any] = {"calcs": [calc], "fields": "", "values": False}
    if shown == "last_time":
        calc, reduce["calcs"], reduce["fields"] = "lastNotNull", ["lastNotNull"], "/^Time$/"
        notes.add('valueName "last_time" → the last time of the "Time" field (reduceOptions.fields "/^Time$/")')
    elif shown == "name":
        notes.add('valueName "name" → textMode "name" (the series name is shown, not a value)')
    elif shown not in _REDUCERS:
        notes.add(f"valueName {quoted(shown)} is unknown; shown as the mean, as Grafana does")
    else:
        source = f"valueName {quoted(shown)}" if isinstance(value_name, str) else 'valueName absent (default "avg")'
        notes.add(f"{source} → reduceOptions.calcs {quoted([calc])}")
    if panel.get("tableColumn"):
        reduce["fields"] = f"/^{panel['tableColumn']}$/"
    return reduce


def _threshold_steps(panel: dict[str, Any]) -> list[dict[str, Any]]:
    """One step per color: the first from -Infinity, each next one from the matching threshold."""
    colors = panel.get("colors")
    levels = panel.get("thresholds")
    if not isinstance(colors, list) or not isinstance(levels, str) or not levels.strip():
        return []
    values = [number(level) for level in levels.split(",")]
    steps: list[dict[str, Any]] = []
    for index, color in enumerate(colors):
        if index == 0:
            steps.append({"color": color, "value": None})
        elif index - 1 < len(values) and values[index - 1] is not None:
            steps.append({"color": color, "value": values[index - 1]})
    return steps


def value_mappings(panel: dict[str, Any], steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """valueMaps or rangeMaps (whichever `mappingType` picks) as modern value mappings.

    As Grafana's convertOldAngularValueMappings: a mapped text that is a number takes the color its threshold
    step gives it; the value "null" becomes a special mapping of null.
    """
    mapping_type = panel.get("mappingType")
    value_maps = [item for item in panel.get("valueMaps") or [] if isinstance(item, dict)]
    range_maps = [item for item in panel.get("rangeMaps") or [] if isinstance(item, dict)]
    if not mapping_type:
        mapping_type = 1 if value_maps else 2 if range_maps else None
    mappings: list[dict[str, Any]] = []
    if mapping_type == 1:
        texts: dict[str, Any] = {}
        for item in value_maps:
            result = _mapping_result(item.get("text"), steps)
            if item.get("value") == "null":
                mappings.append({"type": "special", "options": {"match": "null", "result": result}})
            elif item.get("value") is not None:
                texts[str(item["value"])] = result
        if texts:
            mappings.insert(0, {"type": "value", "options": texts})
    elif mapping_type == 2:
        for item in range_maps:
            result = _mapping_result(item.get("text"), steps)
            bounds = {"from": number(item.get("from")), "to": number(item.get("to"))}
            mappings.append({"type": "range", "options": {**bounds, "result": result}})
    return mappings


def _mapping_result(text: Any, steps: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {"text": "" if text is None else str(text)}
    numeric = number(text)
    if numeric is not None and steps:
        color = steps[0]["color"]
        for step in steps[1:]:
            if step["value"] is not None and numeric >= step["value"]:
                color = step["color"]
        result["color"] = color
    return result


def _stat_options(panel: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The stat's graph, color and text modes, with the defaults Grafana's stat plugin writes."""
    sparkline = mapping(panel.get("sparkline"))
    graph_mode = "area" if sparkline.get("show") else "none"
    if panel.get("colorBackground"):
        color_mode = "background"
    elif panel.get("colorValue"):
        color_mode = "value"
    else:
        color_mode = "none"
        if graph_mode == "area" and sparkline.get("lineColor"):
            defaults["color"] = {"fixedColor": sparkline["lineColor"], "mode": "fixed"}
    return {
        "colorMode": color_mode,
        "graphMode": graph_mode,
        "justifyMode": "auto",
        "percentChangeColorMode": "standard",
        "showPercentChange": False,
        "textMode": "name" if panel.get("valueName") == "name" else "auto",
        "wideLayout": True,
    }


def _gauge_options(gauge: dict[str, Any]) -> dict[str, Any]:
    """The gauge's threshold markers and labels, with the defaults Grafana's gauge plugin writes."""
    return {
        "minVizHeight": 75,
        "minVizWidth": 75,
        "showThresholdLabels": bool(gauge.get("thresholdLabels", False)),
        "showThresholdMarkers": bool(gauge.get("thresholdMarkers", True)),
        "sizing": "auto",
    }


def _note_dropped(panel: dict[str, Any], notes: PanelNotes) -> None:
    """Choice lines for what the value showed and no longer does."""
    for field in ("prefix", "postfix"):
        if panel.get(field):
            notes.add(f"{field} {quoted(panel[field])} has no counterpart; dropped (a unit can carry it)")
    if mapping(panel.get("sparkline")).get("full"):
        notes.add("full-height sparkline has no counterpart; drawn as the stat's area graph")
