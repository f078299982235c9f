"""Write generated source modules: formatted by ruff, all or nothing, never over a file without `--force`; and
what ruff's checks would report on one, with the settings of the repository it goes to."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruff.__main__ import find_ruff_bin

from compiler.problems import CompileError, Problem, display_path


def format_python(source: str, target: Path) -> str:
    """`source` as `ruff format` leaves it, with the settings that apply to `target`'s repository."""
    result = subprocess.run(
        [find_ruff_bin(), "format", "--stdin-filename", str(target), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        # Generated code that does not parse is a bug in the importer, not a user mistake.
        raise RuntimeError(f"ruff could not format the module generated for {target}: {result.stderr.strip()}")
    return result.stdout


def ruff_findings(source: str, target: Path) -> list[dict[str, Any]]:
    """What `ruff check` reports on `source` as if it were `target` (its JSON findings; none if ruff fails)."""
    result = subprocess.run(
        [find_ruff_bin(), "check", "--no-fix", "--output-format", "json", "--stdin-filename", str(target)],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        findings: list[dict[str, Any]] = json.loads(result.stdout)
    except json.JSONDecodeError:
        return []
    return findings


def write_modules(modules: Mapping[Path, str], force: bool) -> list[Path]:
    """Format every module, then write them all; refuse before writing anything if one exists and not `force`."""
    if not force:
        existing = [path for path in modules if path.exists()]
        if existing:
            raise CompileError(
                Problem(f"{display_path(path)} exists; pass --force to overwrite it") for path in existing
            )
    formatted = {path: format_python(source, path) for path, source in modules.items()}
    for path, source in formatted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return list(formatted)
