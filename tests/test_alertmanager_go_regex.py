"""Regex matchers mean in moncc what they mean in Alertmanager: Go's RE2 syntax read as Go reads it, and every
verdict checked against the real amtool 0.25 (which compiles `^(?:value)$` with Go's regexp package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.dsl.alertmanager.go_regex import go_regex
from compiler.dsl.alertmanager.matchers import Matcher
from compiler.verify.amtool import find_amtool

ACCEPTED = [
    "db|infra",
    "(?i)db",
    "a(?i)b|c",
    "[[:alpha:]]+",
    "[[:^digit:]x]+",
    r"[^\D]+",
    r"[a\d]",
    r"\d+",
    r"\w+",
    r"\s",
    r"x\z",
    r"\x{41}\x42",
    r"\Qa.b\E",
    r"\12",
    "(?U)a+",
    "(?s-U:a.)",
    "a{,5}",
    "a{2}",
    "a*?",
    "(?P<name>a)(?P<1>b)",
    "(?)a",
    "^*a",
    "a$",
    "(?m)a$",
    r"\bdb\b.*",
    "a)|(b",
    "[]a]",
    "[a-]",
    "[a-c-e]",
]
"""Go accepts each; Python's `re` refuses or misreads most of them as written."""

REFUSED = {
    "(?=c)critical": "invalid or unsupported Perl syntax: `(?=`",
    "(?<name>a)": "invalid or unsupported Perl syntax: `(?<`",
    r"(a)\1": r"invalid escape sequence: `\1`",
    r"\Z": r"invalid escape sequence: `\Z`",
    r"[\b]": r"invalid escape sequence: `\b`",
    r"\C": r"invalid escape sequence: `\C`",
    "a{1001}": "invalid repeat count: `{1001}`",
    "x{2,1}": "invalid repeat count: `{2,1}`",
    "a++": "invalid nested repetition operator: `++`",
    "a*?*": "invalid nested repetition operator: `*?*`",
    "a{2}{3}": "invalid nested repetition operator: `{2}{3}`",
    "**": "missing argument to repetition operator: `*`",
    "(?i-)a": "invalid or unsupported Perl syntax: `(?i-)`",
    "(?P<>x)": "invalid named capture: `(?P<>`",
    "[[:foo:]]": "invalid character class range: `[:foo:]`",
    r"[a-\d]": "invalid character class range",
    r"\Q.*": "missing closing )",
    "(db": "missing closing )",
}
"""Go refuses each (Python's `re` accepts most of them), for the reason given."""

MATCHING = {
    r"\d+": ["503", "٣", "5x"],
    r"\w+": ["db_1", "é", "日本"],
    r"\s": [" ", "\u00a0", "\v", "\t"],
    r"\bdb\b.*": ["db-1", "édb", "db"],
    "[[:alpha:]]+": ["abc", ":", "é"],
    "[[:^digit:]x]+": ["ab", "1", "x"],
    r"[a\d]": ["a", "7", "b"],
    r"[^\D]+": ["42", "a"],
    "a$": ["a", "a\n"],
    "(?m)a$": ["a", "a\n"],
    "a{,5}": ["a{,5}", "aaa"],
    r"\Qa.b\E": ["a.b", "axb"],
    "a(?i)b|c": ["aB", "C", "AB"],
    "a)|(b": ["a", "abc", "xyb", "x"],
    "(?i)db": ["DB", "Db"],
    "^*a": ["a"],
}
"""Values each expression is applied to, by moncc and by amtool: every verdict must agree."""


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_what_go_accepts_is_accepted(pattern: str) -> None:
    go_regex(pattern)


@pytest.mark.parametrize(("pattern", "reason"), REFUSED.items())
def test_what_go_refuses_is_refused_with_gos_reason(pattern: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        Matcher("team", "=~", pattern)
    assert str(caught.value).startswith("matcher team=~")
    assert reason in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_a_unicode_class_is_refused_saying_why() -> None:
    with pytest.raises(ValueError, match=r"Unicode character classes \(`\\p...`\) cannot be applied by moncc"):
        go_regex(r"\pL+")


@pytest.mark.parametrize(
    ("pattern", "value", "matched"),
    [
        (r"\d+", "٣", False),
        (r"\w+", "é", False),
        (r"\s", "\u00a0", False),
        ("[[:alpha:]]+", ":", False),
        ("a$", "a\n", False),
        ("a{,5}", "aaa", False),
        ("a{,5}", "a{,5}", True),
        ("a(?i)b|c", "C", True),
        ("a)|(b", "xyb", True),
    ],
)
def test_go_semantics_where_python_differs(pattern: str, value: str, matched: bool) -> None:
    assert Matcher("label", "=~", pattern).matches({"label": value}) is matched


def _amtool_config(folder: Path, patterns: list[str]) -> Path:
    """A configuration whose route `r<i>` (continuing) matches `label=~pattern[i]`, so amtool's receivers for a
    label set name every pattern that matches it."""
    quoted = [pattern.replace("\\", "\\\\").replace('"', '\\"') for pattern in patterns]
    routes = "".join(
        f"    - receiver: r{index}\n      continue: true\n      matchers: ['label=~\"{text}\"']\n"
        for index, text in enumerate(quoted)
    )
    receivers = "".join(f"  - name: r{index}\n" for index in range(len(patterns)))
    config = folder / "alertmanager.yaml"
    config.write_text(f"route:\n  receiver: none\n  routes:\n{routes}receivers:\n  - name: none\n{receivers}")
    return config


@pytest.mark.parametrize("pattern", [*ACCEPTED, *REFUSED])
def test_amtool_agrees_on_what_is_accepted(tmp_path: Path, pattern: str) -> None:
    config = _amtool_config(tmp_path, [pattern])
    result = find_amtool().run(["check-config", str(config)], tmp_path)
    assert (result.returncode == 0) is (pattern in ACCEPTED), result.stdout


def test_amtool_agrees_on_what_matches(tmp_path: Path) -> None:
    patterns = list(MATCHING)
    config = _amtool_config(tmp_path, patterns)
    amtool = find_amtool()
    values = sorted({value for tried in MATCHING.values() for value in tried})
    for value in values:
        label = str(Matcher("label", "=", value))
        result = amtool.run(["config", "routes", "test", f"--config.file={config}", label], tmp_path)
        lines = [line for line in result.stdout.splitlines() if line and not line.startswith("Warning:")]
        by_amtool = {patterns[int(name[1:])] for name in lines[0].split(",") if name != "none"}
        by_moncc = {pattern for pattern in patterns if Matcher("label", "=~", pattern).matches({"label": value})}
        assert by_moncc == by_amtool, f"label={value!r}"
