"""Artifact kinds plug in: every emitter module is found and run in order, every verifier names a kind."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path, PurePosixPath
from types import ModuleType

import pytest

from compiler.emit.artifacts import ArtifactTree
from compiler.emit.rule_files import RuleFiles
from compiler.model.build import build_model
from compiler.pipeline import emitters, verifiers
from compiler.plugins import plugins
from compiler.settings.project import load_project
from tests.conftest import GOOD_MODULE, ProjectFactory


def test_the_artifact_kinds_are_found_in_their_order() -> None:
    assert [emitter.name for emitter in emitters()] == [
        "rule-files",
        "prometheus-rules",
        "rule-files-configmap",
        "test-files",
        "dashboards",
        "grafana-datasources",
        "alertmanager",
        "alertmanager-crd",
        "openslo",
        "kustomization",
    ]
    assert [verifier.artifact for verifier in verifiers()] == [
        "rule-files",
        "prometheus-rules",
        "grafana-datasources",
        "alertmanager",
        "alertmanager-crd",
        "openslo",
    ]


def test_an_emitter_writes_from_the_model_alone(make_project: ProjectFactory) -> None:
    model = build_model(load_project(make_project(good=GOOD_MODULE).root))
    tree = ArtifactTree()
    RuleFiles().emit(model, tree)
    assert list(tree.files) == [PurePosixPath("prometheus/good.rules.yaml")]
    assert tree.problems == []


def test_a_module_defining_two_plugins_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "kinds"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "two.py").write_text(
        textwrap.dedent(
            """
            class Base: ...
            class One(Base): ...
            class Two(Base): ...
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import kinds  # type: ignore[import-not-found]
    from kinds.two import Base  # type: ignore[import-not-found]

    assert isinstance(kinds, ModuleType)
    with pytest.raises(RuntimeError, match=r"kinds\.two must define exactly one"):
        plugins(kinds, (Base,), every_module=False)
    sys.modules.pop("kinds.two", None)
    sys.modules.pop("kinds", None)
