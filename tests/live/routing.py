"""The repository's own routing model, built once for the live tests from rules_src/ as `moncc` builds it."""

from __future__ import annotations

from functools import cache

from compiler.model.build import build_model
from compiler.model.routing import Routing
from compiler.settings.project import load_project
from tests.conftest import REPO_ROOT


@cache
def repository_routing() -> Routing:
    model = build_model(load_project(REPO_ROOT))
    assert not model.problems, model.problems
    assert model.routing is not None, "rules_src/ keeps no Alertmanager configuration"
    return model.routing
