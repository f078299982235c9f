"""YAML text → node graphs, bounded the way Prometheus's own YAML decoder (Go's yaml.v3) bounds them.

PyYAML's composer accepts an alias inside the node it names (`&a [*a]`, a graph with a cycle), any nesting depth
(it recurses), and any amount of alias expansion: nine nested levels of nine aliases ("billion laughs") are a
35 KB file that expands to 387 million nodes. This composer builds the same nodes from the parser's events
without recursion and refuses those three things, each with the line where it is found.

The expansion rule is yaml.v3's: of the nodes a document expands to, aliases may account for 99% up to 400,000
nodes, a share falling linearly to 10% at 4,000,000 nodes and staying there, so the work an importer does on
what it reads is bounded by a small multiple of the file's own size. Small documents (up to 1,000 nodes, or up
to 100 from aliases) are never refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from compiler.emit.yaml_text import SAFE_LOADER
from compiler.import_command.input_files import MAX_NESTING

_RATIO_RANGE_LOW = 400_000
_RATIO_RANGE_HIGH = 4_000_000
_ALWAYS_ALLOWED_TOTAL = 1_000
_ALWAYS_ALLOWED_ALIASED = 100
_SATURATED = 1 << 62
"""Expanded sizes stop growing here: far past every limit, and it keeps the arithmetic on small integers."""


class YamlLimitError(Exception):
    """The text is YAML, but one moncc refuses to expand; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def allowed_alias_ratio(total: int) -> float:
    """The share of a document's expanded nodes that may come from aliases, for a document of `total` nodes."""
    if total <= _RATIO_RANGE_LOW:
        return 0.99
    if total >= _RATIO_RANGE_HIGH:
        return 0.10
    return 0.99 - 0.89 * (total - _RATIO_RANGE_LOW) / (_RATIO_RANGE_HIGH - _RATIO_RANGE_LOW)


@dataclass
class _Open:
    """A sequence or mapping whose end event has not come yet."""

    node: yaml.SequenceNode | yaml.MappingNode
    anchor: str | None
    size: int = 1
    """Nodes it expands to so far, itself included."""
    pending_key: yaml.Node | None = None


@dataclass
class _Document:
    """Composition state of one document."""

    anchors: dict[str, tuple[yaml.Node, int]] = field(default_factory=dict)
    """Every anchored node closed so far, with the number of nodes it expands to."""
    stack: list[_Open] = field(default_factory=list)
    root: yaml.Node | None = None
    written: int = 0
    """Nodes written in the text (an alias expands to nodes written elsewhere)."""
    total: int = 0
    """Nodes the document expands to."""
    largest_alias: tuple[int, int] = (0, 0)
    """The expanded size and line of the alias that expands to most nodes, where a refusal points."""


def compose_documents(text: str) -> Iterator[yaml.Node | None]:
    """The root node of every document in `text` (None for an empty one), like `yaml.compose_all`.

    Raises `yaml.YAMLError` for text that is not YAML and `YamlLimitError` for YAML beyond the limits above.
    """
    loader: Any = SAFE_LOADER(text)
    try:
        loader.get_event()  # StreamStart
        while not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()  # DocumentStart
            document = _Document()
            while not loader.check_event(yaml.DocumentEndEvent):
                _take(loader, document)
            loader.get_event()
            _check_aliasing(document)
            yield document.root
    finally:
        loader.dispose()


def _take(loader: Any, document: _Document) -> None:
    """Add the next event to the document."""
    event = loader.get_event()
    line = event.start_mark.line + 1
    if isinstance(event, yaml.AliasEvent):
        node, size = _aliased(document, str(event.anchor), line)
        document.largest_alias = max(document.largest_alias, (size, line))
        _add(document, node, size)
    elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
        closed = document.stack.pop()
        closed.node.end_mark = event.end_mark
        _close(document, closed.node, closed.size, closed.anchor)
    else:
        node = _node(loader, event)
        document.written += 1
        if event.anchor is not None and (
            event.anchor in document.anchors or any(open_.anchor == event.anchor for open_ in document.stack)
        ):
            raise YamlLimitError(f"anchor &{event.anchor} is defined twice", line)
        if isinstance(node, yaml.ScalarNode):
            _close(document, node, 1, event.anchor)
        elif len(document.stack) >= MAX_NESTING:
            raise YamlLimitError(f"nested more than {MAX_NESTING} levels deep", line)
        else:
            document.stack.append(_Open(node, event.anchor))


def _node(loader: Any, event: Any) -> yaml.ScalarNode | yaml.SequenceNode | yaml.MappingNode:
    """The node a scalar, sequence start or mapping start event begins, its tag resolved as PyYAML does."""
    start: Any = event.start_mark  # the C parser's marks are typed apart from PyYAML's, and work the same
    end: Any = event.end_mark
    if isinstance(event, yaml.ScalarEvent):
        tag = _tag(loader, event, yaml.ScalarNode, event.value)
        return yaml.ScalarNode(tag, event.value, start, end, style=event.style)
    if isinstance(event, yaml.SequenceStartEvent):
        tag = _tag(loader, event, yaml.SequenceNode, None)
        return yaml.SequenceNode(tag, [], start, None, flow_style=event.flow_style)
    tag = _tag(loader, event, yaml.MappingNode, None)
    return yaml.MappingNode(tag, [], start, None, flow_style=event.flow_style)


def _tag(loader: Any, event: Any, kind: type[yaml.Node], value: str | None) -> str:
    """The event's own tag, else the one the loader's resolver gives it (`!!int` for `3`)."""
    if event.tag not in (None, "!"):
        return str(event.tag)
    return str(loader.resolve(kind, value, event.implicit))


def _aliased(document: _Document, anchor: str, line: int) -> tuple[yaml.Node, int]:
    """The node an alias names and its expanded size; an alias inside the node it names would never end."""
    if any(open_.anchor == anchor for open_ in document.stack):
        raise YamlLimitError(f"alias *{anchor} is inside the node it names, so it would expand for ever", line)
    if anchor not in document.anchors:
        raise YamlLimitError(f"alias *{anchor}: no anchor &{anchor} before it", line)
    return document.anchors[anchor]


def _close(document: _Document, node: yaml.Node, size: int, anchor: str | None) -> None:
    """A finished node: remember it if it is anchored, add it to its parent (or make it the root)."""
    if anchor is not None:
        document.anchors[anchor] = (node, size)
    _add(document, node, size)


def _add(document: _Document, node: yaml.Node, size: int) -> None:
    if not document.stack:
        document.root = node
        document.total = size
        return
    parent = document.stack[-1]
    parent.size = min(parent.size + size, _SATURATED)
    if isinstance(parent.node, yaml.SequenceNode):
        parent.node.value.append(node)
    elif parent.pending_key is None:
        parent.pending_key = node
    else:
        parent.node.value.append((parent.pending_key, node))
        parent.pending_key = None


def _check_aliasing(document: _Document) -> None:
    """yaml.v3's rule, on what the whole document expands to; the refusal points at the largest alias."""
    aliased = document.total - document.written
    if aliased <= _ALWAYS_ALLOWED_ALIASED or document.total <= _ALWAYS_ALLOWED_TOTAL:
        return
    if aliased / document.total > allowed_alias_ratio(document.total):
        expanded = f"over {_SATURATED:,}" if document.total >= _SATURATED else f"{document.total:,}"
        raise YamlLimitError(
            f"excessive aliasing: {document.written:,} nodes as written, {expanded} once aliases are expanded",
            document.largest_alias[1],
        )
