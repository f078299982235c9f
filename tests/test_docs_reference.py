"""The DSL reference (mkdocs.yml: docs/reference/ rendered from the docstrings, docs/guide/): every public name of
`compiler.dsl` is in it with an example, every example runs, and the site builds in strict mode."""

from __future__ import annotations

import html
import importlib
import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import compiler.dsl
from compiler.dsl import dashboards

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference"
GUIDE = ROOT / "docs" / "guide"
DIRECTIVE = re.compile(r"^::: (compiler\.dsl[\w.]*)$", re.MULTILINE)
PYTHON_BLOCK = re.compile(r"^ *```python\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
DASHBOARD_HELPERS = ["datasource_variable", "label_variable", "red_row", "use_row", "slo_error_budget_panel"]


def reference_entries() -> dict[int, str]:
    """The objects the reference pages render (`::: path`), by identity → their documented path."""
    entries: dict[int, str] = {}
    for page in sorted(REFERENCE.glob("*.md")):
        for path in DIRECTIVE.findall(page.read_text()):
            module, _, name = path.rpartition(".")
            entries[id(getattr(importlib.import_module(module), name))] = path
    return entries


def examples(obj: object) -> list[str]:
    """The Python code blocks of the docstring's `Example:` section."""
    docstring = inspect.getdoc(obj) or ""
    _, found, section = docstring.partition("\nExample:\n")
    return [textwrap.dedent(block) for block in PYTHON_BLOCK.findall(section)] if found else []


def run_example(code: str, where: str) -> None:
    exec(compile(code, where, "exec"), {"__name__": "example"})


def test_every_public_name_is_in_the_reference() -> None:
    entries = reference_entries()
    missing = [name for name in compiler.dsl.__all__ if id(getattr(compiler.dsl, name)) not in entries]
    assert missing == []


@pytest.mark.parametrize("name", compiler.dsl.__all__)
def test_every_public_name_has_an_example_that_runs(name: str) -> None:
    blocks = examples(getattr(compiler.dsl, name))
    assert blocks, f"{name}: its docstring has no `Example:` section with a ```python block"
    for index, code in enumerate(blocks):
        run_example(code, f"<example {index + 1} of {name}>")


@pytest.mark.parametrize("name", DASHBOARD_HELPERS)
def test_every_dashboard_helper_has_an_example_that_runs(name: str) -> None:
    blocks = examples(getattr(dashboards, name))
    assert blocks
    for index, code in enumerate(blocks):
        run_example(code, f"<example {index + 1} of compiler.dsl.dashboards.{name}>")


@pytest.mark.parametrize("page", sorted(path.name for path in GUIDE.glob("*.md")))
def test_the_guide_examples_run(page: str) -> None:
    for index, code in enumerate(PYTHON_BLOCK.findall((GUIDE / page).read_text())):
        run_example(textwrap.dedent(code), f"<docs/guide/{page}, example {index + 1}>")


def test_the_site_builds_strictly_with_every_name_and_its_example(tmp_path: Path) -> None:
    """`mkdocs build --strict`: a broken cross-reference or link, a page left out of the nav, or a docstring
    griffe cannot read fails it. In the built pages each public name has its heading and its example."""
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    pages = "\n".join(page.read_text() for page in (site / "reference").glob("*/index.html"))
    entries = reference_entries()
    for name in compiler.dsl.__all__:
        anchor = f'id="{entries[id(getattr(compiler.dsl, name))]}"'
        assert anchor in pages, name
        entry = pages[pages.index(anchor) :].split('class="doc doc-heading"', 2)[1]
        first_line = examples(getattr(compiler.dsl, name))[0].splitlines()[0]
        assert '<details class="example"' in entry, f"{name}: no rendered example"
        assert html.escape(first_line, quote=True) in entry or first_line in entry, name
