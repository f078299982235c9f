"""A dashboard's ConfigMap is, byte for byte, what `to_yaml` writes for it, whether its text is indented into the
literal block directly (printable ASCII, as every dashboard moncc writes) or dumped whole (anything else)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.emit.dashboard_configmaps import configmap_yaml
from compiler.emit.dashboard_text import json_text
from compiler.emit.yaml_text import to_yaml

BUILD = Path(__file__).resolve().parents[2] / "build"


HEAD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "grafana-dashboard-board", "labels": {"grafana_dashboard": "1"}},
}


def configmap(text: str, key: str = "board.json") -> dict[str, Any]:
    return {**HEAD, "data": {key: text}}


def test_every_dashboard_of_this_repository_is_written_as_to_yaml_writes_it() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(BUILD.glob("grafana/**/*.json"))]
    assert texts
    for text in texts:
        assert configmap_yaml(HEAD, "board.json", text) == to_yaml(configmap(text))


def test_awkward_texts_are_written_as_to_yaml_writes_them() -> None:
    texts = [
        json_text({"title": "Überblick \u2028", "a": ["x\x7f", "\t"]}),
        json_text({}),
        "{\n  \n}\n",
        "{\n}\n\n",
        " {\n}\n",
        "\n{\n}\n",
        "{ \n}\n",
        "{\n \n  x\n}\n",
        "{}",
        "\n",
        "x\r\ny\n",
        "null\n",
    ]
    for text in texts:
        for key in ("board.json", "1e3.json", "-x.json"):
            assert configmap_yaml(HEAD, key, text) == to_yaml(configmap(text, key)), (text, key)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(["\n", " ", "{", '"', ":", "a", "1", "é", "\x7f", "\t", "#", "-"])))
def test_any_text_is_written_as_to_yaml_writes_it(text: str) -> None:
    assert configmap_yaml(HEAD, "board.json", text) == to_yaml(configmap(text))


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda children: st.lists(children)))
def test_any_json_text_is_written_as_to_yaml_writes_it(document: Any) -> None:
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert configmap_yaml(HEAD, "board.json", text) == to_yaml(configmap(text))
