"""Find the one plugin class each module of a package defines: lint checks, emitters, verifiers.

Adding a lint check or an artifact kind is then one new module and nothing else: no list to extend by hand.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import TypeVar

Plugin = TypeVar("Plugin")


def plugins(package: ModuleType, kinds: tuple[type[Plugin], ...], *, every_module: bool) -> list[Plugin]:
    """An instance of the class of `kinds` that each module of `package` defines (itself, not imported).

    With `every_module`, a module defining none is an error (a check folder holds only checks); a module
    defining two always is (which one would run?).
    """
    found: list[Plugin] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        defined = [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, kinds)
            and value not in kinds
            and not inspect.isabstract(value)
            and value.__module__ == module.__name__
        ]
        if len(defined) > 1 or (every_module and not defined):
            raise RuntimeError(f"{module.__name__} must define exactly one of {kinds}, found {len(defined)}")
        found.extend(plugin() for plugin in defined)
    return found
