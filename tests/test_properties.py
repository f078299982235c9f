"""Properties: whatever valid names, values, templates and PromQL an author writes reach Prometheus exactly.

Each example is a whole source module of 25-50 random rules, generated with `repr()` literals, built with the real
CLI and checked with the real promtool; `yaml.safe_load` of the rule file and of the CRD's spec must give back
exactly the labels and annotations put in, and the expression as Prometheus reads it. The strategies keep to
input Prometheus accepts: anything else the DSL must refuse on one line (tests/test_value_roundtrip.py).

`pytest -m slow` runs twenty times as many examples.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import promql_parser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.promql.text import for_parser
from tests.conftest import DEFAULT_PYPROJECT, Project, load_yaml, promtool_check_rules

EXAMPLES = 20
"""20 modules of 25-50 rules: over 500 rules and 2,000 values in the default run."""


def deterministic(examples: int) -> settings:
    """The same examples on every run and machine, and no example database written into the checkout."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- names ----------------------------------------------------------------------------------------------------

_PROMQL_KEYWORDS = {
    *("sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values"),
    *("quantile", "limitk", "limit_ratio", "and", "or", "unless", "atan2", "offset", "by", "without", "on"),
    *("ignoring", "group_left", "group_right", "bool", "start", "end", "inf", "nan"),
}

label_names = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,12}", fullmatch=True).filter(lambda name: name[:2] != "__")
grouping_labels = label_names.filter(lambda name: name.lower() not in _PROMQL_KEYWORDS)
metric_names = st.from_regex(r"[a-zA-Z_:][a-zA-Z0-9_:]{0,16}", fullmatch=True).filter(
    lambda name: name.lower() not in _PROMQL_KEYWORDS
)

# --- values ---------------------------------------------------------------------------------------------------

YAML_SPECIAL = [
    *["yes", "no", "y", "n", "on", "off", "True", "null", "Null", "~", "", "=", "<<", "---", "..."],
    *["0x10", "0o17", "1e3", "-1E-3", "1_000", ".inf", "-.Inf", ".nan", "2001-12-14", "12:30:45", "010"],
    *["- x", ": x", "? x", "#x", "x #y", "x: y", "&a", "*a", "!x", "%x", "@x", "`x", "|", ">", "[a]", "{a}"],
    *[" lead", "trail ", "\ttab", "tab\t", "'", '"', "\\", "a\\nb", "\n", "x\n\n", "\n x", "  \n", "line\r\nend"],
]
"""Words and shapes YAML would read as something else, or lose, unless quoted or written in the right style."""

LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What `str.splitlines` breaks at, and YAML or Python treat as line ends."""

characters = st.characters(codec="utf-8")
texts = st.one_of(
    st.sampled_from(YAML_SPECIAL),
    st.text(characters, max_size=24),
    st.text(st.sampled_from(f" \t\\'\"{{}}#:-|>.{LINE_BREAKS}ä€😀\u00a0\ufeff\x00"), max_size=12),
)
"""Any Unicode text (UTF-8 has no surrogates), weighted towards the characters that are special somewhere."""


@st.composite
def templates(draw: st.DrawFn) -> str:
    """Valid Go templates: text (a stray `}}` included) between actions of every lexical kind."""
    actions = st.sampled_from(
        [
            "{{ $labels.job }}",
            "{{ $value | humanize }}",
            "{{- $value -}}",
            '{{ "quoted }} \\" string" }}',
            "{{ `raw }}\nstring` }}",
            "{{ '}' }}",
            "{{/* a comment with }} */}}",
            "{{- /* trimmed comment */ -}}",
            '{{ if eq $labels.severity "page" }}paged{{ else }}not paged{{ end }}',
        ]
    )
    text = texts.filter(lambda text: "{{" not in text)
    # Parts joined by a space, so a text ending in "{" never runs into the "{{" after it.
    return " ".join(draw(st.lists(st.one_of(text, actions), max_size=5)))


# --- PromQL ---------------------------------------------------------------------------------------------------


def quoted(value: str, quote: str) -> str:
    """A PromQL string literal for `value`: escapes only where Go requires one, other characters as they are."""
    if quote == "`":
        return f"`{value}`"
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
    return f"{quote}{escaped}{quote}"


literal_values = texts.map(lambda text: text.replace("\ufffd", "?"))
"""Prometheus refuses U+FFFD in a string literal (its lexer's mark for invalid UTF-8)."""


@st.composite
def literals(draw: st.DrawFn) -> tuple[str, str]:
    """(PromQL literal, the value it holds); raw strings hold newlines but no backquote and no `\\r`, which Go
    drops from raw strings while other parsers keep it."""
    value = draw(literal_values)
    quote = draw(st.sampled_from(['"', "'", "`"]))
    if quote == "`":
        value = value.replace("`", "").replace("\r", "")
    return quoted(value, quote), value


@st.composite
def selectors(draw: st.DrawFn) -> str:
    metric = draw(metric_names)
    names = draw(st.lists(label_names, max_size=3, unique=True))
    matchers = [f"{name}{draw(st.sampled_from(['=', '!=']))}{draw(literals())[0]}" for name in names]
    return f"{metric}{{{', '.join(matchers)}}}" if matchers else metric


@st.composite
def expressions(draw: st.DrawFn) -> list[str]:
    """An instant-vector expression as a list of tokens (string literals kept whole)."""
    first, second = draw(selectors()), draw(selectors())
    label = draw(grouping_labels)
    shapes = [
        [first],
        ["rate(", first, "[5m]", ")"],
        ["sum", "by", f"({label})", "(", "rate(", first, "[5m]", ")", ")", ">", "0.5"],
        [first, "offset", "5m", "and", "on()", second],
        ["absent(", first, ")"],
        [first, "/", "ignoring", f"({label})", second],
    ]
    return draw(st.sampled_from(shapes))


@st.composite
def laid_out(draw: st.DrawFn) -> tuple[str, str, str]:
    """(what the author writes, what Prometheus must get, the same on one line): tokens split over indented lines,
    with comments and trailing blanks, as in a triple-quoted Python string."""
    tokens = draw(expressions())
    one_line = " ".join(tokens)
    if not draw(st.booleans()):
        return one_line, one_line, one_line
    cuts = sorted(draw(st.sets(st.integers(1, len(tokens) - 1), max_size=3))) if len(tokens) > 1 else []
    lines = [" ".join(tokens[start:end]) for start, end in itertools.pairwise([0, *cuts, len(tokens)])]
    comments = [draw(st.one_of(st.just(""), st.text(characters, max_size=10))) for _ in lines]
    lines = [
        f"{line}  # {comment.replace(chr(10), '').replace(chr(13), '')}" if comment else line
        for line, comment in zip(lines, comments, strict=True)
    ]
    margin = draw(st.sampled_from(["    ", "\t", "        "]))
    written = "\n" + "".join(f"{margin}{line} \t\n" for line in lines) + margin[:-1]
    expected = "\n".join(line.rstrip(" \t\r") for line in lines)
    return written, expected, one_line


# --- rules and modules ------------------------------------------------------------------------------------------


@dataclass
class RuleInput:
    """One generated rule: the keyword arguments written into the module, and what the rule file must hold."""

    kind: str
    name: str
    expr: str
    expected_expr: str
    one_line_expr: str
    labels: dict[str, str]
    annotations: dict[str, str] = field(default_factory=dict)

    def source(self) -> str:
        if self.kind == "record":
            return f"Record({self.name!r}, expr={self.expr!r}, labels={self.labels!r})"
        verbatim = ", verbatim_name=True" if not re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", self.name) else ""
        return (
            f"Alert({self.name!r}, expr={self.expr!r}, labels={self.labels!r},"
            f" annotations={self.annotations!r}{verbatim})"
        )


@st.composite
def rules(draw: st.DrawFn) -> RuleInput:
    written, expected, one_line = draw(laid_out())
    if draw(st.booleans()):
        labels = draw(st.dictionaries(label_names, texts, max_size=3))
        return RuleInput("record", draw(metric_names), written, expected, one_line, labels)
    name = draw(st.one_of(metric_names, texts.filter(bool)))
    labels = draw(st.dictionaries(label_names, templates(), max_size=3))
    annotations = draw(st.dictionaries(label_names, templates(), max_size=4))
    return RuleInput("alert", name, written, expected, one_line, labels, annotations)


@st.composite
def modules(draw: st.DrawFn) -> tuple[list[str], list[list[RuleInput]]]:
    """(group names, the rules of each group): 25-50 rules over one to three groups."""
    drawn = draw(st.lists(rules(), min_size=25, max_size=50))
    group_names = draw(st.lists(texts.filter(bool), min_size=1, max_size=3, unique=True))
    groups: list[list[RuleInput]] = [[] for _ in group_names]
    for index, rule in enumerate(drawn):
        groups[index % len(groups)].append(rule)
    return group_names, groups


def module_source(group_names: list[str], groups: list[list[RuleInput]]) -> str:
    lines = ["from compiler.dsl import Alert, Record, RuleGroup", ""]
    for index, (name, rules_of_group) in enumerate(zip(group_names, groups, strict=True)):
        lines.append(f"group_{index} = RuleGroup({name!r}, rules=[")
        lines.extend(f"    {rule.source()}," for rule in rules_of_group)
        lines.append("])")
    return "\n".join(lines) + "\n"


def parsed(expr: str) -> str:
    """The expression as the PromQL parser reads it (its canonical text holds every matcher's value)."""
    return str(promql_parser.parse(for_parser(expr)))


def check_round_trip(root: Path, group_names: list[str], groups: list[list[RuleInput]]) -> None:
    """Build the module, check it with promtool, and compare both files with the input."""
    project = Project(root)
    project.rules_dir.mkdir(parents=True)
    (root / "pyproject.toml").write_text(DEFAULT_PYPROJECT, encoding="utf-8")
    (project.rules_dir / "generated.py").write_text(module_source(group_names, groups), encoding="utf-8")
    project.build()
    [rule_file] = project.rule_files()
    [crd] = project.crds()
    checked = promtool_check_rules(rule_file)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    emitted: list[dict[str, Any]] = load_yaml(rule_file)["groups"]
    assert load_yaml(crd)["spec"]["groups"] == emitted
    assert [group["name"] for group in emitted] == group_names
    for group, rules_of_group in zip(emitted, groups, strict=True):
        assert len(group["rules"]) == len(rules_of_group)
        for rule, expected in zip(group["rules"], rules_of_group, strict=True):
            assert rule[expected.kind] == expected.name
            assert rule["expr"] == expected.expected_expr
            assert parsed(rule["expr"]) == parsed(expected.one_line_expr)
            assert rule.get("labels", {}) == expected.labels
            assert rule.get("annotations", {}) == expected.annotations


@deterministic(EXAMPLES)
@given(module=modules())
def test_every_value_reaches_prometheus_exactly(
    tmp_path_factory: pytest.TempPathFactory, module: tuple[list[str], list[list[RuleInput]]]
) -> None:
    check_round_trip(tmp_path_factory.mktemp("properties"), *module)


@pytest.mark.slow
@deterministic(EXAMPLES * 20)
@given(module=modules())
def test_every_value_reaches_prometheus_exactly_at_length(
    tmp_path_factory: pytest.TempPathFactory, module: tuple[list[str], list[list[RuleInput]]]
) -> None:
    check_round_trip(tmp_path_factory.mktemp("properties"), *module)
