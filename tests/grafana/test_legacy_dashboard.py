"""Dashboard-wide fields of a legacy dashboard: crosshair, variables, datasources, links, removed fields."""

from __future__ import annotations

from typing import Any

from compiler.grafana.legacy import migrate_dashboard


def legacy(*panels: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"schemaVersion": 14, "rows": [{"height": "250px", "panels": list(panels)}], **fields}


def test_the_input_is_left_unchanged_and_the_schema_version_raised() -> None:
    data = legacy({"id": 1, "type": "graph", "title": "A", "lines": True}, style="dark", hideControls=False)
    before = repr(data)
    document = migrate_dashboard(data).document
    assert repr(data) == before
    assert document["schemaVersion"] == 39
    assert not {"rows", "style", "hideControls"} & set(document)


def test_a_shared_crosshair_becomes_the_graph_tooltip() -> None:
    assert migrate_dashboard(legacy(sharedCrosshair=True)).document["graphTooltip"] == 1
    assert "sharedCrosshair" not in migrate_dashboard(legacy(sharedCrosshair=True)).document


def test_datasource_names_become_references_and_a_guessed_uid_is_a_choice_line() -> None:
    panels = [
        {"id": 1, "type": "text", "title": "a", "content": "", "datasource": "Prometheus"},
        {"id": 2, "type": "text", "title": "b", "content": "", "datasource": "$datasource"},
        {"id": 3, "type": "text", "title": "c", "content": "", "datasource": "default"},
        {"id": 4, "type": "text", "title": "d", "content": "", "datasource": "-- Mixed --"},
    ]
    result = migrate_dashboard(legacy(*panels))
    assert [panel.get("datasource") for panel in result.document["panels"]] == [
        {"uid": "Prometheus"},
        {"uid": "$datasource"},
        None,
        {"type": "datasource", "uid": "-- Mixed --"},
    ]
    assert result.choices == [
        'datasource "Prometheus" (a name) → {"uid": "Prometheus"} in 1 panel(s): Grafana looks the name up to '
        "write its uid and type; check the uid on the target Grafana"
    ]


def test_variables_lose_tags_and_are_refreshed_on_load() -> None:
    variable = {
        "name": "job",
        "type": "query",
        "datasource": "$datasource",
        "refresh": 0,
        "options": [{"text": "a", "value": "a"}],
        "tags": [],
        "tagsQuery": "up",
        "tagValuesQuery": "",
        "useTags": True,
    }
    result = migrate_dashboard(legacy(templating={"list": [variable]}))
    assert result.document["templating"]["list"] == [
        {"name": "job", "type": "query", "datasource": {"uid": "$datasource"}, "refresh": 1, "options": []}
    ]
    assert result.choices == [
        'variable "job": value tags (tagsQuery "up") are gone; dropped',
        'variable "job": never refreshed → refreshed when the dashboard loads',
    ]


def test_a_grafana_4_panel_link_becomes_a_url() -> None:
    link = {"dashboard": "Thanos / Query", "includeVars": True, "keepTime": True, "title": "Query", "type": "dashboard"}
    (panel,) = migrate_dashboard(legacy({"id": 1, "type": "graph", "title": "A", "links": [link]})).document["panels"]
    assert panel["links"] == [
        {
            "asDropdown": False,
            "icon": "external link",
            "includeVars": False,
            "keepTime": False,
            "tags": [],
            "tooltip": "",
            "type": "link",
            "targetBlank": False,
            "title": "Query",
            "url": "dashboard/db/thanos-query?$__url_time_range&$__all_variables",
        }
    ]


def test_an_angular_text_panel_keeps_its_content_as_options() -> None:
    panel = {"id": 1, "type": "text", "title": "Help", "mode": "text", "content": "read me"}
    result = migrate_dashboard(legacy(panel))
    assert result.document["panels"][0]["options"] == {"content": "read me", "mode": "markdown"}
    assert result.choices == ['panel "Help" (text → text): mode "text" is gone; the content is shown as markdown']


def test_a_panel_type_not_converted_here_is_kept_and_said() -> None:
    panel = {"id": 1, "type": "grafana-piechart-panel", "title": "Share", "pieType": "donut"}
    result = migrate_dashboard(legacy(panel))
    assert result.document["panels"][0]["pieType"] == "donut"
    assert result.choices == [
        'panel "Share" (grafana-piechart-panel): no modern options; kept as saved for Grafana\'s own plugin '
        "migration when the dashboard loads"
    ]
