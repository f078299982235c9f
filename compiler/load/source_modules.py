"""Import source modules by path, turning every failure into a `path:line: message` problem."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from compiler.problems import DefinitionError, Problem, SourceLocation


def source_files(directory: Path) -> list[Path]:
    """Every Python module below `directory`, in a stable order (helpers starting with `_` included)."""
    return sorted(path for path in directory.rglob("*.py") if "__pycache__" not in path.parts)


def module_name(root: Path, path: Path) -> str:
    """The dotted import name of a file below the repository root, e.g. `rules_src.api`."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@contextmanager
def importable_from(root: Path, package: str) -> Iterator[None]:
    """Let `import rules_src.x` work for one run, and forget those modules afterwards.

    Forgetting them matters: a second compile in the same process (tests, watch mode) must re-import
    the sources as they are now, not reuse the modules of the first.
    """
    top = package.split(".")[0]
    _forget(top)
    sys.path.insert(0, str(root))
    saved = sys.dont_write_bytecode, sys.pycache_prefix
    # Python trusts __pycache__ when a source keeps its size and whole-second mtime; an edit can too. Below
    # the null device no folder can ever exist, so no bytecode is read from or written anywhere.
    sys.dont_write_bytecode, sys.pycache_prefix = True, os.path.join(os.devnull, "moncc")
    try:
        yield
    finally:
        sys.dont_write_bytecode, sys.pycache_prefix = saved
        sys.path.remove(str(root))
        _forget(top)


def _forget(top: str) -> None:
    for name in [name for name in sys.modules if name == top or name.startswith(top + ".")]:
        del sys.modules[name]


def import_source(root: Path, path: Path, debug: bool = False) -> ModuleType | list[Problem]:
    """Import one source module, or say where and why it failed."""
    name = module_name(root, path)
    if not all(part.isidentifier() for part in name.split(".")):
        return [
            Problem(
                f"cannot import {name!r}: every folder and file name must be a Python identifier",
                SourceLocation(path, 1),
            )
        ]
    try:
        return importlib.import_module(name)
    except DefinitionError as error:
        if debug:
            traceback.print_exc()
        return list(error.problems)
    except SyntaxError as error:
        where = SourceLocation(Path(error.filename or path).resolve(), error.lineno or 1)
        return [Problem(f"SyntaxError: {error.msg}", where)]
    except SystemExit as error:
        message = "the module exits while moncc imports it" + (f" (sys.exit({error.code!r}))" if error.code else "")
        return [Problem(f"{message}: a source module must only define objects", _failing_line(error, root, path))]
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # GeneratorExit, or a module's own BaseException, is the module's mistake too
        if debug:
            traceback.print_exc()
        message = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return [Problem(message, _failing_line(error, root, path))]


def _failing_line(error: BaseException, root: Path, path: Path) -> SourceLocation:
    """The innermost frame of the traceback that lies in the repository's own files."""
    location = SourceLocation(path, 1)
    for frame, line in traceback.walk_tb(error.__traceback__):
        file = Path(frame.f_code.co_filename)
        if file.is_absolute() and root in file.parents and ".venv" not in file.parts:
            location = SourceLocation(file, line)
    return location


@dataclass(frozen=True)
class ImportedSource:
    """One imported source file and the names generated files and messages give it."""

    module: ModuleType
    path: Path
    stem: str
    """Its path below the sources folder without `.py`, e.g. `api` or `team/payments`."""
    source: str
    """Its path relative to the repository root, as generated files name it."""

    @property
    def helper(self) -> bool:
        """Modules whose name starts with `_` are helpers: imported by others, never emitted."""
        return self.path.name.startswith("_")


def import_sources(root: Path, directory: Path, debug: bool = False) -> tuple[list[ImportedSource], list[Problem]]:
    """Import every module below `directory`, helpers included, and say where each failure is."""
    if not directory.is_dir():
        return [], []
    imported: list[ImportedSource] = []
    problems: list[Problem] = []
    with importable_from(root, module_name(root, directory)):
        for path in source_files(directory):
            module = import_source(root, path, debug)
            if isinstance(module, list):
                problems.extend(module)
                continue
            resolved = path.resolve()
            stem = path.relative_to(directory).with_suffix("").as_posix()
            imported.append(ImportedSource(module, resolved, stem, resolved.relative_to(root).as_posix()))
    return imported, problems
