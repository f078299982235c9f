"""`moncc import dashboard` on real dashboards: the 15 of `../shared/reference/external-dashboards/` (9 legacy
Thanos mixin dashboards of schemaVersion 14, 6 modern rfmoz ones with the 141-panel node-exporter-full).

Each is imported into a fresh project of its own, the project is built, and every built dashboard must validate against
Grafana's schemas and show what the original shows: the same panels in the same places, the same queries, the
same variables, the same numbers (reductions as Grafana applies them) and every option and field setting the
original made. A legacy dashboard is compared with Grafana's migration of it (`migrate_dashboard`), which is
what Grafana itself would show.
"""

from __future__ import annotations

import ast
import json
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.grafana.legacy import migrate_dashboard
from compiler.grafana.parse import parse_dashboard
from compiler.import_command.dashboard_import import is_legacy, module_name
from tests.conftest import DEFAULT_PYPROJECT, Project
from tests.grafana_schemas import EXTERNAL_DASHBOARDS, schema_errors

FILES = sorted(EXTERNAL_DASHBOARDS.glob("*/*.json"))
DATASOURCE_VARIABLE = "datasource"
SINGLE_VALUE_PANELS = frozenset({"stat", "gauge", "bargauge", "piechart"})
"""Panels that reduce each series to one number with `options.reduceOptions`."""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Project]:
    """A fresh project per file, the file imported and the project built (once per file for all tests)."""
    projects: dict[Path, Project] = {}

    def project_of(path: Path) -> Project:
        if path not in projects:
            root = tmp_path_factory.mktemp(path.stem)
            (root / "rules_src").mkdir()
            (root / "dashboards_src").mkdir()
            (root / "pyproject.toml").write_text(DEFAULT_PYPROJECT)
            project = Project(root)
            result = project.run("import", "dashboard", str(path))
            assert result.crash is None, f"moncc crashed: {result.crash!r}"
            assert result.exit_code == 0, result.stderr
            project.build()
            projects[path] = project
        return projects[path]

    return project_of


def original(path: Path) -> dict[str, Any]:
    """What Grafana shows for the file: the document itself, or Grafana's migration of a legacy one."""
    document: dict[str, Any] = json.loads(path.read_text())
    return migrate_dashboard(document).document if is_legacy(document) else document


def built(project: Project, title: str) -> dict[str, Any]:
    documents = [
        json.loads(file.read_text()) for file in (project.build_dir / "grafana" / "dashboards").glob("*/*.json")
    ]
    found: list[dict[str, Any]] = [document for document in documents if document["title"] == title]
    assert len(found) == 1, f"{len(found)} built dashboards titled {title!r}"
    return found[0]


def panels(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel in layout order, a row's own panels after it."""
    return [each for panel in document["panels"] for each in (panel, *panel.get("panels", []))]


def layout(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (panel["type"], panel.get("title") or "", *(panel["gridPos"][key] for key in ("h", "w", "x", "y")))
        for panel in panels(document)
    ]


def queries(panel: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What each query asks Prometheus: a query with neither `instant` nor `range` is a range query."""
    targets = panel.get("targets", []) if panel["type"] != "row" else []
    return [
        (
            ref_id,
            target.get("expr"),
            target.get("legendFormat") or None,
            bool(target.get("instant")),
            bool(target.get("range")) or not target.get("instant"),
            target.get("format", "time_series"),
            bool(target.get("hide")),
            target.get("interval") or None,
        )
        for target, ref_id in zip(targets, ref_ids(targets), strict=True)
    ]


def ref_ids(targets: list[dict[str, Any]]) -> list[str]:
    """Each query's refId; one without gets the first letter no other query of the panel has, as Grafana does."""
    taken = {target["refId"] for target in targets if target.get("refId")}
    found = []
    for target in targets:
        ref_id = target.get("refId") or next(letter for letter in string.ascii_uppercase if letter not in taken)
        taken.add(ref_id)
        found.append(ref_id)
    return found


def variables(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each variable as the user sees it; the datasource variable carries the project's name."""
    found = []
    for variable in (document.get("templating") or {}).get("list", []):
        query = variable.get("query")
        current = variable.get("current") or {}
        found.append(
            (
                DATASOURCE_VARIABLE if variable["type"] == "datasource" else variable["name"],
                variable["type"],
                query.get("query") if isinstance(query, dict) else query,
                variable.get("regex") or None,
                current.get("text"),
                current.get("value"),
                bool(variable.get("multi")),
                bool(variable.get("includeAll")),
                variable.get("hide", 0),
                variable.get("refresh"),
            )
        )
    return found


def reductions(panel: dict[str, Any]) -> tuple[Any, ...] | None:
    """The number a single-value panel shows: Grafana reduces with `lastNotNull` when `reduceOptions` or its
    `calcs` are absent, and with `last` when `calcs` is an empty list."""
    if panel["type"] not in SINGLE_VALUE_PANELS:
        return None
    reduce = (panel.get("options") or {}).get("reduceOptions") or {}
    calcs = reduce.get("calcs", ["lastNotNull"])
    return (calcs or ["last"], bool(reduce.get("values")), reduce.get("fields") or "", reduce.get("limit"))


def leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every value below `value` that is not an object, by its path (a list is one value)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    else:
        yield path, value


_ABSENT = object()


def at(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return _ABSENT
        value = value[key]
    return value


def effective(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel's options and field config as the model reads them: Grafana's defaults filled in (queries,
    compared on their own, are left out)."""
    parsed = parse_dashboard({**document, "panels": [without_queries(panel) for panel in document["panels"]]})
    assert parsed.dashboard is not None, parsed.problems
    dumped = parsed.dashboard.model_dump(mode="json", by_alias=True)
    return [
        {key: panel.get(key) for key in ("options", "fieldConfig")}
        for panel in (each for row in dumped["panels"] for each in (row, *(row.get("panels") or [])))
    ]


def without_queries(panel: dict[str, Any]) -> dict[str, Any]:
    rest = {key: value for key, value in panel.items() if key != "targets"}
    return {**rest, "panels": [without_queries(child) for child in panel["panels"]]} if "panels" in panel else rest


def settings_lost(given: dict[str, Any], made: dict[str, Any]) -> list[str]:
    """Each option and field setting of `given` that the built dashboard does not show: neither written with the
    same value nor read alike by the model (left out at Grafana's default, `"0"` written as `0`, a setting Grafana
    reads as another, like a heatmap's `tooltip.show` as `tooltip.mode`: then the nearest object holding it reads
    alike)."""
    given_effective, made_effective = effective(given), effective(made)
    lost = []
    for index, (before, after) in enumerate(zip(panels(given), panels(made), strict=True)):
        for key in ("options", "fieldConfig"):
            for path, value in leaves(before.get(key) or {}, (key,)):
                written = at(after, path)
                if written != value and not read_alike(given_effective[index], made_effective[index], path):
                    shown = "absent" if written is _ABSENT else repr(written)
                    lost.append(f"{before.get('title')!r} {'.'.join(path)}: {value!r} became {shown}")
    return lost


def read_alike(given: dict[str, Any], made: dict[str, Any], path: tuple[str, ...]) -> bool:
    """Whether the model reads the same at `path`, or at the nearest object above it that it reads at all."""
    while path and at(given, path) is _ABSENT:
        path = path[:-1]
    return bool(path) and at(given, path) == at(made, path)


@pytest.mark.parametrize("path", FILES, ids=[f"{path.parent.name}/{path.stem}" for path in FILES])
def test_the_built_dashboard_shows_what_the_original_shows(imported: Callable[[Path], Project], path: Path) -> None:
    given = original(path)
    made = built(imported(path), given["title"])
    assert schema_errors(made) == []
    assert layout(made) == layout(given)
    for before, after in zip(panels(given), panels(made), strict=True):
        assert queries(after) == queries(before), before.get("title")
        assert reductions(after) == reductions(before), before.get("title")
    assert variables(made) == variables(given)
    assert settings_lost(given, made) == []


def test_the_collection_is_the_one_the_issue_names() -> None:
    legacy = [path for path in FILES if is_legacy(json.loads(path.read_text()))]
    assert (len(FILES), len(legacy)) == (15, 9)
    assert max(len(panels(original(path))) for path in FILES) >= 141


@pytest.mark.parametrize("path", FILES, ids=[f"{path.parent.name}/{path.stem}" for path in FILES])
def test_imported_modules_hold_no_none_no_extra_json_and_title_each_panel(
    imported: Callable[[Path], Project], path: Path
) -> None:
    title = json.loads(path.read_text())["title"]
    module = (imported(path).root / "dashboards_src" / f"{module_name(title, path.stem)}.py").read_text()
    tree = ast.parse(module)
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value is None] == []
    assert "extraJson" not in module and "extra_json" not in module
    titled = [
        str(keyword.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith("Panel")
        for keyword in node.keywords
        if keyword.arg == "title" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)
    ]
    assert sorted(titled) == sorted(panel["title"] for panel in panels(original(path)) if "title" in panel)
