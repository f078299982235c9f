"""Every value the DSL accepts reaches Prometheus exactly as written: through the rule file and through the CRD.

Each test builds a small project with the real CLI, checks the rule file with the real promtool, and reads both
files back with `yaml.safe_load`, which must give the very strings the source held.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.dsl.go_template import check_template
from compiler.emit.yaml_text import indent, to_yaml
from tests.conftest import Project, ProjectFactory, load_yaml, promtool_check_rules


def built_groups(project: Project) -> list[dict[str, Any]]:
    """Build, pass promtool, and return the rule file's groups after checking the CRD's spec holds the same."""
    project.build()
    [rule_file] = project.rule_files()
    [crd] = project.crds()
    checked = promtool_check_rules(rule_file)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    groups: list[dict[str, Any]] = load_yaml(rule_file)["groups"]
    assert load_yaml(crd)["spec"]["groups"] == groups
    return groups


# --- A: values ending in newlines -----------------------------------------------------------------------------


def test_trailing_newlines_round_trip_through_rule_file_and_crd(make_project: ProjectFactory) -> None:
    project = make_project(
        api="""
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[
                Alert(
                    "Down",
                    expr="up == 0",
                    labels={"newline": "\\n", "two": "\\n\\n", "one": "a\\n"},
                    summary="first line\\n\\n",
                    description="  indented\\n\\nlast\\n",
                )
            ],
        )
        """
    )
    [rule] = built_groups(project)[0]["rules"]
    assert rule["labels"] == {"newline": "\n", "one": "a\n", "two": "\n\n"}
    assert rule["annotations"] == {"description": "  indented\n\nlast\n", "summary": "first line\n\n"}


def test_a_multi_line_value_keeps_its_block_style(make_project: ProjectFactory) -> None:
    project = make_project(
        api="""
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up == 0", summary="first\\nsecond\\n")])
        """
    )
    project.build()
    assert project.read("prometheus/api.rules.yaml").endswith(
        "    annotations:\n      summary: |\n        first\n        second\n"
    )


def test_yaml_text_never_ends_a_document_and_indents_at_newlines_only() -> None:
    for value in ["x\n\n", "\n", "\u2028x", "a\rb", "\x85", "y", "1e3", "0o17", " \n x\n"]:
        text = to_yaml({"value": value})
        assert "..." not in text
        assert yaml.safe_load(text) == {"value": value}
        assert yaml.safe_load("spec:\n" + indent(text, "  ")) == {"spec": {"value": value}}


# --- B: string literals hold any character but a newline ------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "written"),
    [
        ('rate(x{a="\r"}[5m])', 'rate(x{a="\r"}[5m])'),
        ('rate(x{a="\\r"}[5m])', 'rate(x{a="\\r"}[5m])'),
        ('x{a="\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}', 'x{a="\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}'),
        ("\n    x{a='\r'}\n      > 0  \n  ", "x{a='\r'}\n  > 0"),
        ("\n    x{a=`raw  \n   lines`}\n    + y\r\n", "x{a=`raw  \n   lines`}\n+ y"),
    ],
    ids=["carriage-return", "escaped-carriage-return", "python-line-breaks", "indented", "raw-string-lines"],
)
def test_string_literals_reach_prometheus_unchanged(make_project: ProjectFactory, expr: str, written: str) -> None:
    project = make_project(
        api=f"""
        from compiler.dsl import Record, RuleGroup

        api = RuleGroup("api", rules=[Record("x:y:z", expr={expr!r})])
        """
    )
    [rule] = built_groups(project)[0]["rules"]
    assert rule["expr"] == written


# --- D: templates as Go's lexer delimits them -----------------------------------------------------------------

PROMTOOL_ACCEPTS = {
    "stray": "a }} b",
    "alone": "}}",
    "quoted": "{{ \"}}\" }} and {{ `}}` }} and {{ '}' }}",
    "escaped_quote": '{{ "a\\"}}" }}',
    "comment": "{{/* a }} in a comment */}}",
    "trimmed_comment": "x {{- /* trimmed */ -}} y",
    "trimmed": "{{ 1 -}} {{- 2 }}",
    "newline_in_action": "{{ $labels.job\n}}",
    "raw_lines": "{{ `two\nlines` }}",
}
PROMTOOL_REFUSES = [
    '{{ "}} }}',
    '{{ "a\nb" }}',
    "{{ `}} }}",
    "{{/* }}",
    "{{/* c */ }}",
    "{{/* c */-}}",
    "{{ (1 }}",
    "{{ 1) }}",
    "{{ a {{ b }} }}",
    "{{ $labels.job",
]


def test_templates_promtool_accepts_build_and_round_trip(make_project: ProjectFactory) -> None:
    project = make_project(
        api=f"""
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up == 0", annotations={PROMTOOL_ACCEPTS!r})])
        """
    )
    [rule] = built_groups(project)[0]["rules"]
    assert rule["annotations"] == PROMTOOL_ACCEPTS


@pytest.mark.parametrize("template", PROMTOOL_REFUSES)
def test_templates_the_dsl_refuses_promtool_refuses_too(tmp_path: Path, template: str) -> None:
    rule = {"alert": "Down", "expr": "up == 0", "annotations": {"summary": template}}
    rule_file = tmp_path / "refused.rules.yaml"
    rule_file.write_text(to_yaml({"groups": [{"name": "g", "rules": [rule]}]}), encoding="utf-8")
    assert promtool_check_rules(rule_file).returncode == 1
    with pytest.raises(ValueError):
        check_template(template)


# --- found by tests/test_properties.py ------------------------------------------------------------------------


def test_backslashes_in_raw_strings_and_comments_ending_at_cr(make_project: ProjectFactory) -> None:
    expr = "x{a=`\\d+\\`} # a comment\r+ y{b=`\\`}"
    project = make_project(
        api=f"""
        from compiler.dsl import Record, RuleGroup

        api = RuleGroup("api", rules=[Record("x:y:z", expr={expr!r})])
        """
    )
    [rule] = built_groups(project)[0]["rules"]
    assert rule["expr"] == expr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            'expr="up", summary="\\ud800"',
            "alert Down: annotations: summary: '\\ud800' at offset 0 is a lone surrogate, not text",
        ),
        (
            'expr="up", labels={"a": "x\\udfff"}',
            "alert Down: labels: a: '\\udfff' at offset 1 is a lone surrogate, not text",
        ),
        (
            "expr=\"up{a='\\ufffd'}\"",
            "alert Down: expr: invalid PromQL: U+FFFD at offset 6: Prometheus reads it as invalid UTF-8",
        ),
        (
            'expr="up # why\\r+ 1\\x85"',
            "alert Down: expr: invalid PromQL: unexpected character '\\x85' at offset 12: not a blank to Prometheus",
        ),
    ],
    ids=["surrogate-annotation", "surrogate-label", "replacement-character", "comment-ends-at-cr"],
)
def test_what_prometheus_cannot_read_is_one_line_at_the_alert(built: Project, arguments: str, message: str) -> None:
    built.write(
        "api",
        f"""
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", {arguments})])
        """,
    )
    assert built.build_fails() == [f"rules_src/api.py:3: {message}"]
