"""`json_text` writes, byte for byte, what `json.dumps(..., indent=2, sort_keys=True, ensure_ascii=False)` writes
(plus a newline), for any JSON document: nested containers, empty ones, tuples, every kind of scalar."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.emit.dashboard_text import json_text

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from(["", "é", "\u2028", "\x7f", '"\\', "\t\n\r\x00", "😀", "\ud800"])
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children)
        | st.lists(children).map(tuple)
        | st.dictionaries(st.text(), children)
        | st.dictionaries(st.sampled_from(["a", "B", "é", "", "a b", "10", "9"]), children)
    ),
    max_leaves=40,
)


def reference(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=500, deadline=None)
@given(DOCUMENTS)
def test_any_document_is_written_as_json_dumps_writes_it(document: Any) -> None:
    assert json_text(document) == reference(document)


class Level(enum.IntEnum):
    HIGH = 2


class Colour(enum.StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    "document",
    [
        {},
        [],
        (),
        "text",
        1.5,
        None,
        {"a": {}, "b": [], "c": [{}], "d": [[], [[]]]},
        [1, True, False, None, 1.0, -0.0, 1e-9, 1e300, float("inf"), float("-inf"), float("nan")],
        {"z": Level.HIGH, "y": Colour.RED, "x": [Level.HIGH, Colour.RED]},
        {"panels": [{"id": 1, "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0}, "title": "Überblick"}]},
    ],
)
def test_edge_documents_are_written_as_json_dumps_writes_them(document: Any) -> None:
    assert json_text(document) == reference(document)


def test_what_json_cannot_write_is_refused_alike() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_text({"a": [object()]})
    with pytest.raises(TypeError, match="not JSON serializable"):
        reference({"a": [object()]})
