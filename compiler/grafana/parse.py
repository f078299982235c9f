"""Reading a dashboard's JSON into the model, with every problem named by the panel it is in.

pydantic reports where an error is as a path through the model, which also holds the tags of the unions it
chose between (a panel's kind, a target's datasource); walking that path through the input keeps only the keys
and indexes the JSON really has, so a message names `options.reduceOptions.calcs` of panel 3, not `panels.3.stat`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from compiler.grafana.dashboard import Dashboard


@dataclass(frozen=True)
class ModelProblem:
    """One way a dashboard's JSON breaks Grafana's model."""

    panel_path: tuple[int, ...] | None
    """The panel's index in `panels`, then its index inside a collapsed row; None outside any panel."""
    panel_title: str | None
    message: str
    """One line, plain words: `<field path>: <what is wrong>`."""


@dataclass(frozen=True)
class ParsedDashboard:
    """The dashboard, or None when its JSON has problems (then every one of them)."""

    dashboard: Dashboard | None
    problems: list[ModelProblem] = field(default_factory=list)


def parse_dashboard(data: dict[str, Any]) -> ParsedDashboard:
    """Grafana's dashboard JSON as the model, or the problems that keep it from being one."""
    try:
        return ParsedDashboard(Dashboard.model_validate(data))
    except ValidationError as error:
        located: dict[tuple[tuple[int, ...] | None, str | None, str], list[ErrorDetails]] = {}
        for details in error.errors(include_url=False):
            located.setdefault(_located(data, details), []).append(details)
        return ParsedDashboard(
            None,
            [
                ModelProblem(path, title, f"{where}: {_plain_words(errors)}")
                for (path, title, where), errors in located.items()
            ],
        )


def _located(data: dict[str, Any], details: ErrorDetails) -> tuple[tuple[int, ...] | None, str | None, str]:
    """The panel an error is in (its path, its title) and the field, as a dotted path inside the panel."""
    path = _json_path(data, details)
    panel_path: tuple[int, ...] | None = None
    panel: Any = data
    while len(path) >= 2 and path[0] == "panels" and isinstance(path[1], int):
        panel_path = (*(panel_path or ()), path[1])
        panel = panel["panels"][path[1]]
        path = path[2:]
    if path and isinstance(path[-1], int) and details["type"] not in ("missing", "extra_forbidden"):
        path = path[:-1]
    if details["type"] == "union_tag_invalid":
        path = [*path, "type"]
    title = panel.get("title") if panel_path is not None and isinstance(panel, dict) else None
    where = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")
    return panel_path, title if isinstance(title, str) else None, where or "dashboard"


def _json_path(data: Any, details: ErrorDetails) -> list[str | int]:
    """The error's location as keys and indexes of the input, without the tags of unions."""
    location = details["loc"]
    path: list[str | int] = []
    current = data
    for position, step in enumerate(location):
        if _holds(current, step):
            current = current[step]
        elif position == len(location) - 1 and details["type"] in ("missing", "extra_forbidden"):
            current = None
        else:
            continue
        path.append(step)
    return path


def _holds(value: Any, step: str | int) -> bool:
    """Whether `step` is a key of the JSON object or an index of the JSON array `value`."""
    if isinstance(value, dict):
        return step in value
    return isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)


def _plain_words(errors: list[ErrorDetails]) -> str:
    """What is wrong, in one line; the errors of each member of a union (`bool | number`) as one."""
    if len(errors) > 1:
        expected = dict.fromkeys(_expected(details) for details in errors)
        return f"{errors[0]['input']!r} should be {' or '.join(expected)}"
    details = errors[0]
    kind = details["type"]
    value = details["input"]
    context = details.get("ctx") or {}
    if kind == "missing":
        return "required, and missing"
    if kind == "extra_forbidden":
        return "not a field Grafana knows here"
    if kind == "literal_error":
        return f"{value!r} is not one of {context.get('expected', '')}".replace(" or ", ", ")
    if kind == "union_tag_invalid":
        if context.get("tag") == "<row>":
            return "a row cannot hold a row"
        return f"{context.get('tag')!r} is not one of {context.get('expected_tags')}"
    if kind == "value_error":
        return str(context.get("error", details["msg"]))
    if isinstance(value, dict | list):
        return details["msg"].replace("Input should be", "should be")
    return f"{value!r} should be {_expected(details)}"


def _expected(details: ErrorDetails) -> str:
    """`a valid integer` out of pydantic's `Input should be a valid integer, unable to parse...`."""
    return details["msg"].removeprefix("Input should be ").split(",")[0]
