"""Exempt an imported dashboard module from ruff's ambiguous-character checks when its texts trip them.

Dashboard titles and descriptions are prose: an en dash between two words of a title is what its author wrote,
and ruff's RUF001 (ambiguous characters in strings) would flag it in a repository that selects RUF. Only ruff knows
its resolved settings and its table of confusable characters, so it is asked, once per module, and the
module is exempted from exactly the codes it reports (an exemption nothing needs would itself be flagged).
"""

from __future__ import annotations

from pathlib import Path

from compiler.import_command.output import ruff_findings

AMBIGUOUS_TEXT = ("RUF001", "RUF002", "RUF003")
"""Ambiguous characters in a string, in the docstring (it names the dashboard) and in a comment (the import's
choice lines quote the input)."""


def exempted_from_ambiguous_text(source: str, target: Path) -> str:
    """`source`, prefixed by `# ruff: noqa: <codes>` for the ambiguous-character findings ruff reports in it."""
    findings = ruff_findings(source, target)
    codes = sorted({str(finding.get("code")) for finding in findings} & set(AMBIGUOUS_TEXT))
    if not codes:
        return source
    return f"# ruff: noqa: {', '.join(codes)} (the dashboard's own texts)\n{source}"
