"""Run a check's `bad` or `good` example module through the real `moncc lint` and read its findings.

An example that builds a `Dashboard` is written to `dashboards_src/`, any other to `rules_src/`; the lines of
`bad` that end in a `# bad:` comment are where findings must point.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

from compiler.lint.check import LintCheck
from tests.conftest import Project

MODULE = "example"


@dataclass(frozen=True)
class LintedExample:
    findings: list[dict[str, object]]
    path: str

    def lines_of(self, check: str) -> list[int]:
        return sorted({int(str(f["line"])) for f in self.findings if f["check"] == check})


def example_path(text: str) -> str:
    folder = "dashboards_src" if "Dashboard(" in text else "rules_src"
    return f"{folder}/{MODULE}.py"


def marked_lines(text: str) -> list[int]:
    """The lines of an example (numbered as in its file) that end in a `# bad:` comment."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return [number for number, line in enumerate(lines, start=1) if "# bad:" in line]


def lint_example(project: Project, text: str, *options: str) -> LintedExample:
    path = example_path(text)
    target = project.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    result = project.run("lint", "--format", "json", "--severity", "error", *options)
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout, f"lint printed nothing: {result.stderr}"
    return LintedExample(json.loads(result.stdout)["findings"], path)


def check_example_lines(check: LintCheck) -> list[int]:
    lines = marked_lines(check.bad)
    assert lines, f"{check.name}: its bad example marks no line with '# bad:'"
    return lines
