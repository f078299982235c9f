"""Secrets by reference only: a Kubernetes Secret key, mounted as a file where Alertmanager reads it.

No DSL field takes a secret's value, so none can reach the sources or build/. One `Secret` serves both
artifacts: alertmanager.yaml reads the file (`*_file` fields) and the AlertmanagerConfig names the key.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field, field_validator

from compiler.dsl.definition import Definition
from compiler.problems import SourceLocation

MOUNT_FOLDER = "/etc/alertmanager/secrets"
"""Where prometheus-operator mounts an Alertmanager's secrets: `<folder>/<secret name>/<key>`."""

_SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+")


class Secret(Definition):
    """A key of a Kubernetes Secret; `file` is where Alertmanager reads it (by default where the operator
    mounts it).

    Example:
        ```python
        from compiler.dsl import Secret

        slack_url = Secret("alertmanager-slack", "api-url")  # /etc/alertmanager/secrets/alertmanager-slack/api-url
        elsewhere = Secret("alertmanager-slack", "api-url", file="/run/secrets/slack-url")
        ```
    """

    kind: ClassVar[str] = "secret"

    name: str = Field(max_length=253)
    key: str = Field(max_length=253)
    file: str | None = None

    def __init__(
        self, name: str, key: str, /, *, file: str | None = None, location: SourceLocation | None = None
    ) -> None:
        super().__init__(name=name, key=key, file=file, location=location)

    @field_validator("name")
    @classmethod
    def _secret_name(cls, name: str) -> str:
        if not _SECRET_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a Kubernetes Secret name (lowercase letters, digits, '-' and '.')")
        return name

    @field_validator("key")
    @classmethod
    def _secret_key(cls, key: str) -> str:
        if not _SECRET_KEY.fullmatch(key) or key in (".", ".."):
            raise ValueError(f"{key!r} is not a Kubernetes Secret key (letters, digits, '-', '_' and '.')")
        return key

    @field_validator("file")
    @classmethod
    def _absolute_file(cls, file: str | None) -> str | None:
        if file is not None and (not file.startswith("/") or not file.isprintable()):
            raise ValueError(f"file must be an absolute path, got {file!r}")
        return file

    @property
    def path(self) -> str:
        """The file Alertmanager reads the secret from."""
        return self.file or f"{MOUNT_FOLDER}/{self.name}/{self.key}"
