"""Variables and annotations of a legacy dashboard upgraded as Grafana's schema migrations do.

Variables lose the tag support Grafana removed (v28: `tags`, `tagsQuery`, `tagValuesQuery`, `useTags`); a query
variable that was never refreshed is refreshed when the dashboard loads, and its saved options go (v29); a
datasource name becomes a reference (v36), as in panels.
"""

from __future__ import annotations

from typing import Any

from compiler.grafana.legacy.notes import quoted
from compiler.grafana.legacy.panel_fields import datasource_ref, with_datasource_ref

_TAG_FIELDS = ("tags", "tagsQuery", "tagValuesQuery", "useTags")
_REFRESH_ON_LOAD = 1


def upgrade_variables(templating: Any, choices: list[str]) -> None:
    """Upgrade each variable of `templating.list` in place."""
    if not isinstance(templating, dict):
        return
    for variable in templating.get("list") or []:
        if isinstance(variable, dict):
            _upgrade_variable(variable, choices)


def upgrade_annotations(annotations: Any) -> None:
    """Give each annotation query a datasource reference in place of a datasource name."""
    if not isinstance(annotations, dict):
        return
    for annotation in annotations.get("list") or []:
        if isinstance(annotation, dict) and "datasource" in annotation:
            annotation["datasource"] = datasource_ref(annotation["datasource"])


def _upgrade_variable(variable: dict[str, Any], choices: list[str]) -> None:
    name = quoted(variable.get("name") or "")
    if variable.get("useTags"):
        choices.append(f"variable {name}: value tags (tagsQuery {quoted(variable.get('tagsQuery'))}) are gone; dropped")
    for field in _TAG_FIELDS:
        variable.pop(field, None)
    with_datasource_ref(variable)
    if variable.get("type") == "query":
        if variable.get("refresh") not in (1, 2):
            choices.append(f"variable {name}: never refreshed → refreshed when the dashboard loads")
            variable["refresh"] = _REFRESH_ON_LOAD
        if variable.get("options"):
            variable["options"] = []
