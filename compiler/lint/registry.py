"""Find every check: each module of `compiler/lint/checks/` defines one. Adding a check touches that folder only."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from functools import cache

from compiler.lint import checks
from compiler.lint.check import AlertCheck, LintCheck, PanelCheck, QueryCheck, RecordCheck, RuleSetCheck

CHECK_KINDS = (QueryCheck, AlertCheck, RecordCheck, RuleSetCheck, PanelCheck)
_NAME = re.compile(r"[a-z]+/[a-z0-9]+(-[a-z0-9]+)*")


@cache
def all_checks() -> tuple[LintCheck, ...]:
    """One instance of every check, sorted by name."""
    found: list[LintCheck] = []
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        defined = [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, CHECK_KINDS) and value.__module__ == module.__name__
        ]
        if len(defined) != 1:
            raise RuntimeError(f"{module.__name__} must define exactly one check, found {len(defined)}")
        check = defined[0]()
        if not _NAME.fullmatch(check.name):
            raise RuntimeError(f"{module.__name__}: check name {check.name!r} is not of the form area/what-is-wrong")
        found.append(check)
    names = [check.name for check in found]
    if len(set(names)) != len(names):
        raise RuntimeError(f"two checks share a name: {sorted(name for name in names if names.count(name) > 1)}")
    return tuple(sorted(found, key=lambda check: check.name))


def check_names() -> frozenset[str]:
    return frozenset(check.name for check in all_checks())
