"""YAML a person reads in review: keys in the order given, multi-line strings as block scalars.

Every string must read back exactly, with PyYAML and with the Go YAML libraries Prometheus and Kubernetes use,
and the text must stay valid when indented into another document (the CRD's `spec`). So the only line break
written raw is "\n", and no document-end marker (`...`, which follows a `|+` block at the end) is ever written.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from compiler.gc_pause import cyclic_gc_paused

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when present: every reader of YAML moncc wrote (or is given) uses it."""

_ESCAPE_ONLY = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]|[\x85\u2028\u2029\ufeff]")
"""Characters written escaped: tabs, control characters, and the line breaks YAML knows besides "\n"."""

_NON_STRING_ELSEWHERE = re.compile(
    r"""(?x)
    [yYnN]                                                  # booleans to go-yaml v2 (kubectl), not to PyYAML
    | [-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?   # YAML 1.2 numbers, `1e3` among them
    | [-+]?0[bBoOxX][0-9a-fA-F_]+
    | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
    """
)
"""Plain scalars PyYAML reads as strings but another YAML schema reads as a boolean or a number."""


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

_NON_STRING_FIRST = frozenset("yYnN+-.0123456789")
"""Every character a match of `_NON_STRING_ELSEWHERE` can begin with."""


def scalar_style(text: str) -> str | None:
    """The style that reads back as exactly `text` (None: plain, or quoted as the emitter sees fit).

    A literal block (`|`, `|-`) keeps at most one final newline; more would need `|+`, which ends the document
    with `...`, so such text is double-quoted, like text holding a character that only an escape keeps.

    Most text is printable ASCII (" " to "~"): nothing in it needs an escape, it holds no line break, and it is
    another schema's scalar only if it begins as one does, so only that last test is left, and often not even it.
    """
    if text.isascii() and text.isprintable():
        return "'" if text[:1] in _NON_STRING_FIRST and _NON_STRING_ELSEWHERE.fullmatch(text) else None
    if _ESCAPE_ONLY.search(text):
        return '"'
    if "\n" in text:
        return "|" if text.rstrip("\n") and not text.endswith("\n\n") else '"'
    if _NON_STRING_ELSEWHERE.fullmatch(text):
        return "'"
    return None


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return yaml.ScalarNode(_STR_TAG, text, style=scalar_style(text))


def _node_tree(dumper: yaml.SafeDumper, document: Any) -> yaml.Node:
    """The node tree PyYAML's `represent_data` builds for `document` without flow style or sorted keys.

    Emitters give plain dicts, lists and strings (300,000 nodes for 1,000 SLOs); PyYAML's generic dispatch (the
    type's MRO, alias bookkeeping, a best flow style that `default_flow_style=False` overrides) took half the
    dump. Here those three types are built directly and each distinct string's style is found once (keys and
    label values repeat; "", which `scalar_style` never gives, marks a string not seen yet); anything else, their
    subclasses included, goes through `represent_data` as before. Nodes are never shared: libyaml's serializer
    would give a shared node an anchor. `tests/emit/test_yaml_text.py` proves the output identical.
    """
    styles: dict[str, str | None] = {}
    generic = dumper.represent_data
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def node(data: Any) -> yaml.Node:
        kind = type(data)
        if kind is str:
            style = styles.get(data, "")
            if style == "":
                style = styles[data] = scalar_style(data)
            return scalar(_STR_TAG, data, None, None, style)
        if kind is dict:
            return mapping(_MAP_TAG, [(node(key), node(value)) for key, value in data.items()], None, None, False)
        if kind is list:
            return sequence(_SEQ_TAG, [node(item) for item in data], None, None, False)
        return generic(data)

    return node(document)


class _ReviewDumper(_Dumper):  # type: ignore[valid-type,misc]
    """libyaml's emitter when present (four times faster), with our string style and no anchors.

    Generated documents share label dictionaries between rules; anchors (`&id001`) would make them
    unreadable, and looking for shared objects costs a third of the dump.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def represent(self, data: Any) -> None:
        """`_node_tree` for the block style `to_yaml` asks for; PyYAML's own `represent` otherwise."""
        if self.sort_keys or self.default_flow_style is not False:
            super().represent(data)
            return
        self.serialize(_node_tree(self, data))
        self.represented_objects.clear()
        self.object_keeper.clear()
        self.alias_key = None


_ReviewDumper.add_representer(str, _represent_str)


def to_yaml(document: Any) -> str:
    """Serialise with the caller's key order; no line folding, so long expressions stay on one line.

    The cyclic garbage collector is paused meanwhile (as `moncc` pauses it for a whole command): the dump makes
    hundreds of thousands of nodes, and each pass over them and the caller's live objects found nothing to free
    yet cost a third of the dump.
    """
    with cyclic_gc_paused():
        return yaml.dump(document, Dumper=_ReviewDumper, sort_keys=False, width=1 << 16, allow_unicode=True)


def indent(text: str, prefix: str) -> str:
    """`to_yaml` text nested under a key: every non-empty line prefixed, lines split at "\n" only.

    `textwrap.indent` would also split at other line breaks and skip lines of spaces, which a block scalar
    may hold as content.
    """
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def header(source: str) -> str:
    """The first line of every generated YAML file: where it came from and that it must not be edited."""
    return f"# Generated by moncc from {source}. Do not edit: change the source and run `moncc build`." + "\n"
