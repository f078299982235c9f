"""Find every check: each module of `compiler/lint/checks/` defines one. Adding a check touches that folder only."""

from __future__ import annotations

import re
from functools import cache

from compiler.lint import checks
from compiler.lint.check import (
    AlertCheck,
    LintCheck,
    PanelCheck,
    QueryCheck,
    RecordCheck,
    RoutingCheck,
    RuleSetCheck,
)
from compiler.plugins import plugins

CHECK_KINDS = (QueryCheck, AlertCheck, RecordCheck, RuleSetCheck, PanelCheck, RoutingCheck)
_NAME = re.compile(r"[a-z]+/[a-z0-9]+(-[a-z0-9]+)*")


@cache
def all_checks() -> tuple[LintCheck, ...]:
    """One instance of every check, sorted by name."""
    found: list[LintCheck] = plugins(checks, CHECK_KINDS, every_module=True)
    for check in found:
        if not _NAME.fullmatch(check.name):
            raise RuntimeError(
                f"{type(check).__module__}: check name {check.name!r} is not of the form area/what-is-wrong"
            )
    names = [check.name for check in found]
    if len(set(names)) != len(names):
        raise RuntimeError(f"two checks share a name: {sorted(name for name in names if names.count(name) > 1)}")
    return tuple(sorted(found, key=lambda check: check.name))


def check_names() -> frozenset[str]:
    return frozenset(check.name for check in all_checks())
