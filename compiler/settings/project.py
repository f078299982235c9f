"""`[tool.moncc]` in the repository's pyproject.toml: every setting optional, every default sensible."""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from compiler.dsl.durations import parse_duration
from compiler.problems import CompileError, Problem, SourceLocation
from compiler.settings.grafana import GrafanaSettings
from compiler.settings.lint import LintSettings

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_QUALIFIED_NAME = re.compile(
    r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
)
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?")
_ENGINE_NAME = re.compile(r"[a-z0-9][-a-z0-9_.]*")
PLAIN_ENGINE = "promtool"
"""The name of the one engine a plain string `promtool = "..."` setting gives (the setting's older form)."""


_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def check_namespace(namespace: str) -> str:
    if not _DNS_LABEL.fullmatch(namespace):
        raise ValueError(f"{namespace!r} is not a Kubernetes namespace name (lowercase letters, digits, '-')")
    return namespace


def check_object_name(name: str) -> str:
    if len(name) > 253 or not _DNS_SUBDOMAIN.fullmatch(name):
        raise ValueError(f"{name!r} is not a Kubernetes object name (lowercase letters, digits, '-', '.')")
    return name


class PrometheusRuleObject(BaseModel):
    """`[tool.moncc.kubernetes.prometheus_rules.<module>]`: where one module's PrometheusRule goes."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    """The object's name; unset: from the module's name (`team/payments_v2` → `team-payments-v2`)."""
    namespace: str | None = None
    """Its namespace; unset: `kubernetes.namespace`."""

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        return check_object_name(name)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, namespace: str) -> str:
        return check_namespace(namespace)


class KubernetesSettings(BaseModel):
    """Metadata of the emitted PrometheusRule objects; the labels are what the operator selects on."""

    model_config = ConfigDict(extra="forbid")

    namespace: str = "monitoring"
    labels: dict[str, str] = Field(default_factory=lambda: {"release": "kube-prometheus-stack"})
    annotations: dict[str, str] = Field(default_factory=dict)
    alertmanager_config: bool = Field(
        default=True, description="emit the AlertmanagerConfig object; off when alertmanager.yaml is deployed itself"
    )
    prometheus_rules: dict[str, PrometheusRuleObject] = Field(
        default_factory=dict, description="module name -> the name and namespace of its PrometheusRule"
    )
    rule_files_configmap: str = Field(
        default="",
        description="name of a ConfigMap holding every rule file, for a Prometheus run without the operator; "
        "empty: none is written",
    )
    kustomization: bool = Field(default=True, description="write kubernetes/kustomization.yaml listing every object")

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, namespace: str) -> str:
        return check_namespace(namespace)

    @field_validator("rule_files_configmap")
    @classmethod
    def _configmap_name(cls, name: str) -> str:
        return check_object_name(name) if name else name

    @field_validator("labels", "annotations")
    @classmethod
    def _metadata_keys(cls, values: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        for key, value in values.items():
            if not _QUALIFIED_NAME.fullmatch(key):
                raise ValueError(f"{key!r} is not a valid Kubernetes {info.field_name} key")
            if info.field_name == "labels" and not _LABEL_VALUE.fullmatch(value):
                raise ValueError(f"{value!r} is not a valid Kubernetes label value")
        return values


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules_dir: Path = Path("rules_src")
    dashboards_dir: Path = Path("dashboards_src")
    build_dir: Path = Path("build")
    promtool: dict[str, str] | None = Field(
        default=None,
        description="engine name -> promtool command; none: the default engines (compiler/verify/engines.py)",
    )
    evaluation_interval: str = "1m"
    kubernetes: KubernetesSettings = Field(default_factory=KubernetesSettings)
    grafana: GrafanaSettings = Field(default_factory=GrafanaSettings)
    lint: LintSettings = Field(default_factory=LintSettings)

    @field_validator("rules_dir", "dashboards_dir", "build_dir")
    @classmethod
    def _relative(cls, path: Path) -> Path:
        if path.is_absolute() or ".." in path.parts:
            raise ValueError(f"must be a path inside the repository, got {path}")
        if any(not character.isprintable() for character in str(path)):
            raise ValueError(f"must be a printable path, got {str(path)!r}")
        return path

    @field_validator("rules_dir", "dashboards_dir")
    @classmethod
    def _own_folder(cls, path: Path) -> Path:
        if path == Path():
            raise ValueError("must be a folder of its own, not the repository root (moncc imports every module in it)")
        return path

    @field_validator("promtool", mode="before")
    @classmethod
    def _plain_promtool(cls, value: object) -> object:
        """A plain string, as the setting was before engines had names, is one engine."""
        return {PLAIN_ENGINE: value} if isinstance(value, str) else value

    @field_validator("promtool")
    @classmethod
    def _engines(cls, engines: dict[str, str] | None) -> dict[str, str] | None:
        if engines is None:
            return None
        if not engines:
            raise ValueError('name at least one engine (name = "promtool command"), or leave the setting out')
        for name, command in engines.items():
            if not _ENGINE_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not an engine name (lowercase letters, digits, '-', '_', '.')")
            try:
                words = shlex.split(command)
            except ValueError as error:
                raise ValueError(f"engine {name}: {command!r} is not a command line: {error}") from None
            if not words:
                raise ValueError(f"engine {name}: the command is empty")
        return engines

    @field_validator("evaluation_interval")
    @classmethod
    def _interval(cls, interval: str) -> str:
        if parse_duration(interval) <= timedelta(0):
            raise ValueError(f"must be a positive duration, got {interval!r}")
        return interval


class Project(BaseModel):
    """A repository that moncc compiles: its root folder and its settings."""

    root: Path
    settings: Settings

    @property
    def rules_dir(self) -> Path:
        return self.root / self.settings.rules_dir

    @property
    def dashboards_dir(self) -> Path:
        return self.root / self.settings.dashboards_dir

    @property
    def build_dir(self) -> Path:
        return self.root / self.settings.build_dir


def find_project(start: Path) -> Path:
    """The nearest folder at or above `start` whose pyproject.toml has a `[tool.moncc]` table.

    Other pyproject.toml files on the way (a sub-package's) are passed over; one moncc cannot read is reported,
    since it may be the project's own.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _moncc_table(pyproject) is not None:
            return folder
    raise CompileError(
        [
            Problem(
                f"no moncc project: no pyproject.toml with a [tool.moncc] table in {start} or any folder above it"
                " (run moncc inside the repository, add the table to its pyproject.toml, or pass --project)"
            )
        ]
    )


def require_project(root: Path) -> Path:
    """`root` itself, named by `--project`: it must hold a pyproject.toml with a `[tool.moncc]` table."""
    root = root.resolve()
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise CompileError(
            [Problem(f"--project {root}: no pyproject.toml there (moncc reads its settings from its [tool.moncc])")]
        )
    if _moncc_table(pyproject) is None:
        raise CompileError(
            [
                Problem(
                    "--project: no [tool.moncc] table (add one, even empty, to make this a moncc project)",
                    SourceLocation(pyproject, 1),
                )
            ]
        )
    return root


def load_project(root: Path) -> Project:
    """Read `[tool.moncc]` from `root/pyproject.toml`; a missing file or table means all defaults."""
    root = root.resolve()
    pyproject = root / "pyproject.toml"
    table = _moncc_table(pyproject) if pyproject.exists() else None
    try:
        settings = Settings.model_validate({} if table is None else table)
    except ValidationError as error:
        raise CompileError(
            Problem(
                f"[tool.moncc] {'.'.join(map(str, detail['loc']))}: {detail['msg'].removeprefix('Value error, ')}",
                setting_location(pyproject, detail["loc"]),
            )
            for detail in error.errors()
        ) from None
    return Project(root=root, settings=settings)


def _moncc_table(pyproject: Path) -> object:
    """The value of `tool.moncc` in a pyproject.toml, None when it has none; unreadable TOML is one problem."""
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise CompileError([Problem(f"not UTF-8: {error.reason}", SourceLocation(pyproject, line))]) from None
    except tomllib.TOMLDecodeError as error:
        raise CompileError([Problem(f"invalid TOML: {error}", SourceLocation(pyproject, 1))]) from None
    tool = document.get("tool")
    return tool.get("moncc") if isinstance(tool, dict) else None


def line_of(path: Path, text: str) -> int:
    """The first line of `path` that starts with `text` (1 when none does, or the file cannot be read)."""
    return next((number for number, line in _numbered_lines(path) if line.startswith(text)), 1)


def setting_location(pyproject: Path, keys: Sequence[str | int]) -> SourceLocation:
    """The line that sets a key of `[tool.moncc]` (the path of keys into nested tables), else the nearest table."""
    lines = _numbered_lines(pyproject)
    line = next((number for number, text in lines if text.startswith("[tool.moncc")), 1)
    table = "tool.moncc"
    for key in map(str, keys):
        table = f"{table}.{key}"
        header = re.compile(rf"\s*\[{re.escape(table)}[].]")  # the table's own, or a table inside it
        assignment = re.compile(rf"\s*{re.escape(key)}\s*=")
        found = next(
            (
                number
                for number, text in lines
                if (number >= line and header.match(text)) or (number > line and assignment.match(text))
            ),
            None,
        )
        if found is None:
            break
        line = found
    return SourceLocation(pyproject, line)


def _numbered_lines(path: Path) -> list[tuple[int, str]]:
    try:
        return list(enumerate(path.read_text(encoding="utf-8").split("\n"), start=1))
    except (OSError, UnicodeDecodeError):
        return []
