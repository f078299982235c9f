"""A `Call` tree written out as a grafanalib source module: one import line for the classes it uses, one
assignment. The text only has to be valid Python; `ruff format` lays it out when it is written."""

from __future__ import annotations

import math
from typing import Any

from compiler.import_command.dashboard_calls import Call
from compiler.import_command.python_source import docstring_literal


def module_source(variable: str, dashboard: Call, docstring: str) -> str:
    """The module that defines `variable = Dashboard(...)` and imports exactly the classes it calls."""
    used: set[str] = set()
    expression = _expression(dashboard, used)
    imports = f"from grafanalib.core import {', '.join(sorted(used))}"
    return f"{docstring_literal(docstring)}\n\n{imports}\n\n{variable} = {expression}\n"


def _expression(value: Any, used: set[str]) -> str:
    if isinstance(value, Call):
        used.add(value.cls.__name__)
        arguments = ", ".join(f"{name}={_expression(item, used)}" for name, item in value.kwargs.items())
        return f"{value.cls.__name__}({arguments})"
    if isinstance(value, dict):
        items = ", ".join(f"{_expression(key, used)}: {_expression(item, used)}" for key, item in value.items())
        return f"{{{items}}}"
    if isinstance(value, list):
        return f"[{', '.join(_expression(item, used) for item in value)}]"
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if value is None or isinstance(value, str | bool | int | float):
        return repr(value)
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")
