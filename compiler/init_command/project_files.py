"""The files of a new project: read from `templates/`, named and filled in for the folder they go to.

The templates are the project's files as written, so this repository's ruff and mypy check them and the
tests build them. Two things are not in them as written: a path component `dot-x` is `.x` in the project
(a packaging tool may leave dotfiles out of a wheel), and `__PROJECT_NAME__` and `__MONCC_VERSION__` are
the project's name and the moncc that wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

_TEMPLATES = files("compiler.init_command") / "templates"
_DOT = "dot-"


def project_files(name: str) -> dict[PurePosixPath, str]:
    """Path relative to the project → its text, for a project called `name`."""
    values = {"__PROJECT_NAME__": project_name(name), "__MONCC_VERSION__": _moncc_version()}
    created: dict[PurePosixPath, str] = {}
    for relative, template in _templates(_TEMPLATES, PurePosixPath()):
        text = template.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        created[relative] = text
    return dict(sorted(created.items()))


def project_name(folder_name: str) -> str:
    """A valid `[project] name` (PEP 508: letters, digits, `-`, `_`, `.`) made from the folder's name."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", folder_name).strip("-._")
    return name.lower() or "monitoring"


def _templates(folder: Traversable, relative: PurePosixPath) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for entry in folder.iterdir():
        if entry.name == "__pycache__":
            continue
        name = "." + entry.name.removeprefix(_DOT) if entry.name.startswith(_DOT) else entry.name
        if entry.is_dir():
            yield from _templates(entry, relative / name)
        else:
            yield relative / name, entry


def _moncc_version() -> str:
    try:
        return version("moncc")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0.1.0"
