"""`to_yaml` writes, byte for byte, what PyYAML's generic representer writes with moncc's string style.

`to_yaml` builds PyYAML's node tree itself for dicts, lists and strings and finds a printable ASCII string's style
by a shortcut; both are proven here against the reference they replace: `yaml.dump` with a dumper whose only
addition is a string representer choosing the style by the three original tests (escape, line break, another
schema's scalar). Awkward strings, nested structures, every code point and this repository's own build output
go through both.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.emit import yaml_text
from compiler.emit.yaml_text import SAFE_LOADER, scalar_style, to_yaml

BUILD = Path(__file__).resolve().parents[2] / "build"


def reference_style(text: str) -> str | None:
    """`scalar_style` as it was specified, without the printable-ASCII shortcut."""
    if yaml_text._ESCAPE_ONLY.search(text):
        return '"'
    if "\n" in text:
        return "|" if text.rstrip("\n") and not text.endswith("\n\n") else '"'
    if yaml_text._NON_STRING_ELSEWHERE.fullmatch(text):
        return "'"
    return None


class ReferenceDumper(yaml_text._Dumper):  # type: ignore[valid-type,misc]
    """PyYAML's generic `represent_data`: the same libyaml dumper, no anchors, only a string representer added."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:str", text, style=reference_style(text))


ReferenceDumper.add_representer(str, _represent_str)


def reference_yaml(document: Any, **options: Any) -> str:
    arguments: dict[str, Any] = {"sort_keys": False, "width": 1 << 16, "allow_unicode": True} | options
    return str(yaml.dump(document, Dumper=ReferenceDumper, **arguments))


AWKWARD = [
    "", " ", "  leading", "trailing ", "a", "y", "Y", "n", "N", "yes", "no", "on", "off", "true", "False", "NULL",
    "null", "~", "-", "+", "0", "00", "012", "0x1F", "0o17", "0b101", "-0x_f", "1_000", "1e3", "1E+3", "-1.5e-3",
    ".5", "5.", "+.5", "1.2.3", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", ".Nan", "inf", "nan", "1:2",
    "12:30:45", "2024-01-02", "2024-01-02T03:04:05Z", "a: b", "a:b", "key:", ": x", "#", "# comment", "a #b",
    "a#b", "- x", "-x", "? x", "!tag", "&anchor", "*alias", "|", ">", "%", "@", "`", "'", '"', "'quoted'",
    '"quoted"', "{a: 1}", "[1, 2]", ",", "a,b", "...", "---", "--- x", "=", "<<", "\t", "a\tb", "\ttab",
    "\n", "\n\n", "a\n", "a\n\n", "\na", "a\nb", "a\nb\n", " a\nb", "a \nb", "a\n b", "a\r\nb", "\r", "\x85",
    "a\x85b", "\u2028", "\u2029", "\ufeff", "\ufeffa", "\x00", "\x07", "\x1b[0m", "\x7f", "\x9f", "\xa0",
    "é", "naïve", "日本語", "😀", "a😀", "\ud7ff", "\ue000", "\ufffd", "\uffff", "\U0010ffff", "\\", "\\n",
    "{{ $value }}", "{{ $labels.job }} is down", 'sum(rate(x{job="a",code=~"5.."}[5m]))', "x > 0.5",
    "https://runbooks.example.com/a#b", "a" * 200, " " * 3, "\n" * 3, "a\n" * 5,
]  # fmt: skip


def test_scalar_style_is_the_specified_style_for_every_code_point_and_awkward_string() -> None:
    texts = [chr(point) for point in range(sys.maxunicode + 1)] + AWKWARD
    texts += [first + second for first in "yn.+-0x1 #:'\"\t\n\x85é" for second in "yn.+-0x1 #:'\"\t\n\x85éIiNn_"]
    assert [scalar_style(text) for text in texts] == [reference_style(text) for text in texts]


def test_to_yaml_matches_the_generic_representer_on_awkward_strings() -> None:
    documents: list[Any] = [
        AWKWARD,
        {text: text for text in AWKWARD},
        {"groups": [{"name": text, "rules": [{"labels": {text: text}, "expr": text}]} for text in AWKWARD]},
    ]
    for document in documents:
        assert to_yaml(document) == reference_yaml(document)


def test_to_yaml_matches_the_generic_representer_on_scalars_of_every_plain_type() -> None:
    document = {
        "ints": [0, -1, 1 << 70, True, False],
        "floats": [0.0, -0.0, 0.5, 1e300, 1e-300, math.inf, -math.inf, math.nan, 12345678901234567890.0],
        "none": None,
        None: "null key",
        7: "int key",
        2.5: "float key",
        True: "bool key",
        "empty": {"dict": {}, "list": [], "string": ""},
        "nested": [[[]], [{}], [{"a": [{"b": {"c": ["d", 1, None]}}]}]],
    }
    assert to_yaml(document) == reference_yaml(document)


def test_shared_objects_are_written_in_full_each_time_and_never_anchored() -> None:
    labels = {"team": "a", "severity": "page"}
    rules = [{"alert": "A", "labels": labels}, {"alert": "B", "labels": labels}]
    document = {"groups": [{"name": "g", "rules": rules}, {"name": "h", "rules": rules}]}
    assert to_yaml(document) == reference_yaml(document)
    assert "&" not in to_yaml(document)


class _Mapping(dict[str, Any]):
    pass


class _Text(str):
    pass


def _written_or_refused(dump: Any, document: Any) -> str:
    try:
        return str(dump(document))
    except yaml.representer.RepresenterError as error:
        return f"refused: {error}"


def test_other_types_and_subclasses_are_written_or_refused_as_before() -> None:
    others = [("tuple",), {"set"}, b"bytes", _Mapping(a="b"), _Text("y"), [_Text("a")], dt.date(2024, 1, 2)]
    others += [dt.datetime(2024, 1, 2, 3, 4, 5), dt.datetime(2024, 1, 2, tzinfo=dt.UTC), object()]
    for other in others:
        document = {"value": [other, {"nested": other}]}
        assert _written_or_refused(to_yaml, document) == _written_or_refused(reference_yaml, document)
    assert _written_or_refused(to_yaml, object()).startswith("refused: ")


@pytest.mark.parametrize("options", [{"sort_keys": True}, {"default_flow_style": None}, {"default_flow_style": True}])
def test_other_dump_options_take_pyyaml_own_path(options: dict[str, Any]) -> None:
    document = {"b": ["y", {"z": "1e3", "a": "a\nb\n"}], "a": {"k": ".inf"}}
    arguments: dict[str, Any] = {"sort_keys": False, "width": 1 << 16, "allow_unicode": True} | options
    fast = yaml.dump(document, Dumper=yaml_text._ReviewDumper, **arguments)
    assert fast == reference_yaml(document, **options)


_characters = st.sampled_from(list("aYyNn0189._+-eExXob :#'\"{}[],&*!|>%@`~?\\ \t\n\r\x85\x00\u2028\ufeffé😀"))
_texts = st.one_of(st.sampled_from(AWKWARD), st.text(_characters, max_size=12), st.text(max_size=12))
_scalars = st.one_of(_texts, st.integers(), st.floats(), st.booleans(), st.none())
_documents = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(_texts, st.integers(), st.booleans(), st.none()), children, max_size=5),
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_to_yaml_matches_the_generic_representer_on_any_nested_document(document: Any) -> None:
    assert to_yaml(document) == reference_yaml(document)


def _build_documents() -> list[Path]:
    return sorted(path for path in BUILD.rglob("*") if path.suffix in {".yaml", ".yml", ".json"} and path.is_file())


def test_to_yaml_matches_the_generic_representer_on_the_repository_build_output() -> None:
    paths = _build_documents()
    assert paths, "build/ holds no YAML or JSON"
    for path in paths:
        text = path.read_text(encoding="utf-8")
        documents = [json.loads(text)] if path.suffix == ".json" else list(yaml.load_all(text, Loader=SAFE_LOADER))
        for document in documents:
            assert to_yaml(document) == reference_yaml(document), path
