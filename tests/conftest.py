"""Shared fixtures: throw-away moncc projects, run through the real CLI and checked with the real promtool.

A test writes a few source modules into a fresh project (`project.write("api", SOURCE)`), runs
`project.run("build")` exactly as a user would (`moncc --project <dir> build`, from inside the project, so
messages name `rules_src/api.py:LINE`), and looks at what landed in `build/`.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator

from compiler.cli import cli

REPO_ROOT = Path(__file__).resolve().parent.parent
CRD_REFERENCE = (
    REPO_ROOT.parent / "shared" / "reference" / "prometheus-operator" / "monitoring.coreos.com_prometheusrules.yaml"
)

DEFAULT_PYPROJECT = """\
[project]
name = "throwaway"

[tool.moncc]
"""

GOOD_MODULE = """\
from compiler.dsl import Alert, RuleGroup

good = RuleGroup("good", rules=[Alert("TargetDown", expr="up == 0", for_="5m", severity="page")])
"""
"""A module that always builds: tests add their broken module next to it."""


def source(text: str) -> str:
    """A module text written indented inside a test, as the file holds it (line 1 is the first line)."""
    return textwrap.dedent(text).lstrip("\n")


@dataclass(frozen=True)
class Result:
    """What one CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str
    crash: BaseException | None
    """An exception other than the CLI's own `sys.exit` (a bug: users would see a traceback)."""

    @property
    def problems(self) -> list[str]:
        """The problem lines on stderr, without the closing `moncc: N problem(s)` summary."""
        return [line for line in self.stderr.splitlines() if not re.fullmatch(r"moncc: \d+ problem\(s\)", line)]


@dataclass
class Project:
    """A moncc project in a temporary folder: pyproject.toml, rules_src/, and build/ once built."""

    root: Path

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def rules_dir(self) -> Path:
        return self.root / "rules_src"

    def write(self, module: str, text: str) -> Path:
        """Write `rules_src/<module>.py` (module may hold `/` for subfolders); the text is dedented."""
        path = self.rules_dir / f"{module}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source(text), encoding="utf-8")
        return path

    def write_pyproject(self, text: str) -> None:
        (self.root / "pyproject.toml").write_text(source(text), encoding="utf-8")

    def run(self, *args: str, cwd: Path | None = None) -> Result:
        """`moncc --project <root> ARGS`, run in-process from `cwd` (default: the project root)."""
        runner = CliRunner()
        with contextlib.chdir(cwd or self.root):
            outcome = runner.invoke(cli, ["--project", str(self.root), *args])
        crash = None if outcome.exception is None or isinstance(outcome.exception, SystemExit) else outcome.exception
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr, crash)

    def build(self, cwd: Path | None = None) -> Result:
        """Build and insist that it worked."""
        result = self.run("build", cwd=cwd)
        assert result.crash is None, f"moncc crashed: {result.crash!r}"
        assert result.exit_code == 0, f"build failed:\n{result.stderr}"
        return result

    def build_fails(self) -> list[str]:
        """Build, insist that it failed the way a user mistake must, and return the problem lines.

        The invariants of every rejected build: exit status 1, one line per problem and a summary line, no
        traceback, `build/` byte-for-byte as before, and no staging folder left behind.
        """
        before = self.snapshot()
        result = self.run("build")
        assert result.crash is None, f"moncc crashed: {result.crash!r}"
        assert result.exit_code == 1, f"expected exit 1, got {result.exit_code}:\n{result.stdout}{result.stderr}"
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stdout == ""
        assert result.stderr.splitlines()[-1] == f"moncc: {len(result.problems)} problem(s)"
        assert self.snapshot() == before, "a failed build changed build/"
        assert self.leftovers() == []
        return result.problems

    def snapshot(self) -> dict[str, bytes]:
        """Every file below build/ (relative POSIX path → bytes)."""
        return tree_bytes(self.build_dir)

    def leftovers(self) -> list[str]:
        """Hidden staging or retired folders a build left next to build/."""
        return sorted(path.name for path in self.root.iterdir() if path.name.startswith(".build-"))

    def read(self, relative: str) -> str:
        return (self.build_dir / relative).read_text(encoding="utf-8")

    def rule_files(self) -> list[Path]:
        return sorted((self.build_dir / "prometheus").glob("**/*.rules.yaml"))

    def crds(self) -> list[Path]:
        return sorted((self.build_dir / "kubernetes" / "prometheusrules").glob("*.yaml"))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


ProjectFactory = Callable[..., Project]


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Create projects: `make_project(api=SOURCE, ...)`, optionally `pyproject=TEXT` and `name=FOLDER`."""
    counter = iter(range(1_000))

    def make(*, pyproject: str = DEFAULT_PYPROJECT, name: str | None = None, **modules: str) -> Project:
        root = tmp_path / (name or f"project{next(counter)}")
        (root / "rules_src").mkdir(parents=True)
        project = Project(root)
        project.write_pyproject(pyproject)
        for module, text in modules.items():
            project.write(module, text)
        return project

    return make


@pytest.fixture
def project(make_project: ProjectFactory) -> Project:
    """An empty project with default settings."""
    return make_project()


@pytest.fixture
def built(make_project: ProjectFactory) -> Project:
    """A project whose build/ already holds a good build, for tests that break it."""
    project = make_project(good=GOOD_MODULE)
    project.build()
    assert project.snapshot() != {}
    return project


# --- promtool -------------------------------------------------------------------------------------------------


@cache
def promtool_command() -> list[str]:
    """The real promtool: $PROMTOOL, else promtool on PATH. Its absence is a failure, not a skip."""
    configured = os.environ.get("PROMTOOL")
    if configured:
        return configured.split()
    found = shutil.which("promtool")
    assert found, "promtool is required for the tests: install it (apt-get install prometheus) or set $PROMTOOL"
    return [found]


PROMTOOL3 = REPO_ROOT / ".tools" / "promtool-3" / "usr" / "bin" / "promtool"
"""promtool 3.5, as `make setup` fetches it (the throw-away projects have no .tools/ of their own)."""


BOTH_ENGINES = r"prometheus-2 \(promtool 2\.[^)]+\), prometheus-3 \(promtool 3\.[^)]+\)"
"""How a command names the two engines it checked on (a regular expression: the versions vary)."""


@pytest.fixture(autouse=True)
def both_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every throw-away project builds and tests on both default engines, prometheus-2 and prometheus-3."""
    if not os.environ.get("PROMTOOL3"):
        assert PROMTOOL3.is_file(), "promtool 3.5 is required for the tests: run `make setup` (or set $PROMTOOL3)"
        monkeypatch.setenv("PROMTOOL3", str(PROMTOOL3))


def promtool_check_rules(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*promtool_command(), "check", "rules", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


# --- the upstream PrometheusRule CRD schema --------------------------------------------------------------------


def _openapi_to_jsonschema(node: Any, strict: bool) -> Any:
    """OpenAPI v3 as Kubernetes applies it, in JSON Schema terms: drop `x-kubernetes-*`, keep int-or-string.

    With `strict`, objects that list their properties refuse others: the API server would silently prune
    unknown fields, so a misspelt key would vanish instead of failing.
    """
    if isinstance(node, list):
        return [_openapi_to_jsonschema(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _openapi_to_jsonschema(value, strict) for key, value in node.items()}
    if converted.pop("x-kubernetes-int-or-string", False):
        converted.pop("type", None)
        converted.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    for key in [key for key in converted if key.startswith("x-kubernetes-")]:
        del converted[key]
    pattern = converted.get("pattern")
    if isinstance(pattern, str) and pattern.startswith("^(?i)"):
        converted["pattern"] = "(?i)^" + pattern.removeprefix("^(?i)")  # Go allows the flag there; Python does not
    if strict and "properties" in converted and "additionalProperties" not in converted:
        converted["additionalProperties"] = False
    return converted


@cache
def crd_openapi_schema() -> dict[str, Any]:
    assert CRD_REFERENCE.is_file(), f"the reference CRD is missing: {CRD_REFERENCE}"
    crd = yaml.safe_load(CRD_REFERENCE.read_text(encoding="utf-8"))
    assert crd["spec"]["names"]["kind"] == "PrometheusRule"
    schema: dict[str, Any] = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema


@cache
def crd_validator(strict: bool = False) -> Draft7Validator:
    schema = _openapi_to_jsonschema(copy.deepcopy(crd_openapi_schema()), strict)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def crd_errors(document: Any, strict: bool = False) -> list[str]:
    """Every way `document` breaks the upstream schema, as `path: message`."""
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(crd_validator(strict).iter_errors(document), key=lambda error: error.json_path)
    ]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
