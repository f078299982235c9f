"""The `promql/match-everything` check."""

from __future__ import annotations

import re
from collections.abc import Iterator

import promql_parser as promql

from compiler.lint.check import QueryCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, Query
from compiler.promql.selectors import matcher_texts, matchers

_FLAGS = re.compile(r"^\(\?[imsU]+\)")
_ANY = frozenset({".*", ".*?"})


class MatchEverything(QueryCheck):
    """A label matcher whose regular expression matches every value, the empty one too: `{job=~".*"}`.

    Prometheus anchors every regular expression, and a series without the label has it empty, so `.*` (or
    `^.*$`, `(.*)`, `.*?`, `foo|.*`) keeps every series: the matcher filters nothing and only costs a regex
    match per series. Usually it is left over from a dashboard's "All" value. Drop it; to require that the
    label is set, write `=~".+"` or `!=""`. (`=~".+"` and `!~""` are not reported: they do filter.)
    """

    name = "promql/match-everything"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("redis", [
            Alert(
                "RedisMemoryHigh",
                expr=(
                    "redis_memory_used_bytes{job='redis', instance=~'.*'}"  # bad: instance=~'.*' keeps all
                    " / redis_memory_max_bytes > 0.9"
                ),
                for_="10m",
                severity="warning",
            ),
            Alert(
                "RedisRejectingConnections",
                expr='increase(redis_rejected_connections_total{job=~"^(.*)$"}[10m]) > 0',  # bad: ^(.*)$
                for_="5m",
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("redis", [
            Alert(
                "RedisMemoryHigh",
                expr="redis_memory_used_bytes{job='redis', instance=~'.+'} / redis_memory_max_bytes > 0.9",
                for_="10m",
                severity="warning",
            ),
            Alert(
                "RedisRejectingConnections",
                expr='increase(redis_rejected_connections_total{job=~"redis.*", role!~""}[10m]) > 0',
                for_="5m",
                severity="warning",
            ),
        ])
    """

    def check(self, query: Query, context: LintContext) -> Iterator[Report]:
        for selector in query.selectors:
            for matcher in matchers(selector):
                if matcher.op == promql.MatchOp.Re and matches_everything(matcher.value):
                    yield Report(
                        f"{matcher.name}=~{matcher.value!r} matches every value, even none, so it filters nothing: "
                        f"drop it (=~'.+' requires {matcher.name} to be set)",
                        query.at_first(*matcher_texts(matcher)),
                    )


def matches_everything(regex: str) -> bool:
    """Whether the anchored regular expression surely matches every string, the empty one included."""
    body = _FLAGS.sub("", regex).removeprefix("^").removesuffix("$")
    while _enclosed(body):
        body = body[3:-1] if body.startswith("(?:") else body[1:-1]
    return any(branch in _ANY for branch in _branches(body))


def _enclosed(body: str) -> bool:
    """Whether the whole text is one group: `(...)` whose opening parenthesis closes at its end."""
    if not (body.startswith("(") and body.endswith(")")) or (body.startswith("(?") and not body.startswith("(?:")):
        return False
    depth = 0
    for position, character in enumerate(body):
        if character == "\\":
            return False
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0:
            return position == len(body) - 1
    return False


def _branches(body: str) -> list[str]:
    """The alternatives of the top-level `|`; the whole text when it escapes or groups anything."""
    if "\\" in body or "(" in body or "[" in body:
        return [body]
    return body.split("|")
