"""A promtool test file read into replays: every check grouped by its test and evaluation time, or skipped with
the reasons a fresh server cannot decide it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import promql_parser as promql
import yaml

from compiler.promql.nodes import unwrap
from compiler.promql.parse import parse
from compiler.promql.series_notation import Sample, expand
from tests.live.replay_checks import (
    AlertCheck,
    Check,
    ExprCheck,
    Labels,
    Replay,
    Rule,
    Rules,
    Skipped,
    duration_ms,
    duration_text,
    sorted_labels,
)
from tests.live.replay_reads import reads

RECENT_MS = 2 * 60_000
"""Samples newer than t - 2m are remote-written while the server evaluates; older ones are backfilled."""
_TEST_FILE_KEYS = {"rule_files", "evaluation_interval", "group_eval_order", "tests"}
_TEST_KEYS = {"name", "interval", "input_series", "alert_rule_test", "promql_expr_test"}


@dataclass(frozen=True)
class Plan:
    rules: Rules
    replays: tuple[Replay, ...]
    skipped: tuple[Skipped, ...]


NATIVE_HISTOGRAMS = (
    "native-histogram input series: Prometheus 2.42 stores them from neither OpenMetrics backfill nor this"
    " harness's float remote write (promtool 3 tests them)"
)


def plan(test_file: Path) -> Plan:
    """Every check of the promtool test file, grouped into replays, or skipped with its reason."""
    document = yaml.safe_load(test_file.read_text())
    unknown = set(document) - _TEST_FILE_KEYS
    assert not unknown, f"{test_file}: the replay does not know {sorted(unknown)}"
    rules = _rules(tuple((test_file.parent / name).resolve() for name in document["rule_files"]))
    evaluation_interval_ms = duration_ms(document.get("evaluation_interval", "1m"))
    replays: list[Replay] = []
    skipped: list[Skipped] = []
    for test in document["tests"]:
        unknown = set(test) - _TEST_KEYS
        assert not unknown, f"{test_file}: test {test['name']!r}: the replay does not know {sorted(unknown)}"
        interval_ms = duration_ms(test.get("interval", "1m"))
        if any("{{" in item["values"] for item in test["input_series"]):
            skipped.extend(
                Skipped(test["name"], eval_ms, str(check), NATIVE_HISTOGRAMS) for eval_ms, check in _checks(test)
            )
            continue
        series = tuple(
            (_labels(item["series"]), tuple(expand(item["values"], interval_ms))) for item in test["input_series"]
        )
        by_time: dict[int, list[Check]] = {}
        for eval_ms, check in _checks(test):
            reasons = [*_stale_reasons(series, eval_ms), *dict.fromkeys(reads(check, rules).reasons)]
            if reasons:
                skipped.extend(Skipped(test["name"], eval_ms, str(check), reason) for reason in reasons)
            else:
                by_time.setdefault(eval_ms, []).append(check)
        replays.extend(
            Replay(test["name"], eval_ms, evaluation_interval_ms, series, tuple(checks))
            for eval_ms, checks in sorted(by_time.items())
        )
    return Plan(rules, tuple(replays), tuple(skipped))


def _rules(files: tuple[Path, ...]) -> Rules:
    texts = tuple((path.name, path.read_text()) for path in files)
    assert len({name for name, _ in texts}) == len(texts), f"rule files of the same name: {files}"
    records: dict[str, list[Rule]] = {}
    alerts: dict[str, list[Rule]] = {}
    for name, text in texts:
        for group in yaml.safe_load(text)["groups"]:
            for index, rule in enumerate(group["rules"]):
                found = Rule((name, group["name"]), index, rule["expr"], duration_ms(rule.get("for", "0s")))
                if "record" in rule:
                    records.setdefault(rule["record"], []).append(found)
                else:
                    alerts.setdefault(rule["alert"], []).append(found)
    return Rules(
        texts,
        {name: tuple(found) for name, found in records.items()},
        {name: tuple(found) for name, found in alerts.items()},
    )


def _checks(test: Mapping[str, Any]) -> Iterator[tuple[int, Check]]:
    for item in test.get("alert_rule_test") or []:
        expected = tuple(
            (
                sorted_labels({**(alert.get("exp_labels") or {}), "alertname": item["alertname"]}),
                sorted_labels(alert.get("exp_annotations") or {}),
            )
            for alert in item.get("exp_alerts") or []
        )
        yield duration_ms(item["eval_time"]), AlertCheck(item["alertname"], expected)
    for item in test.get("promql_expr_test") or []:
        samples = tuple((_labels(sample["labels"]), float(sample["value"])) for sample in item.get("exp_samples") or [])
        yield duration_ms(item["eval_time"]), ExprCheck(item["expr"], samples)


def _stale_reasons(series: Sequence[tuple[Labels, Sequence[Sample]]], eval_ms: int) -> list[str]:
    return [
        f"{dict(labels)} has a staleness marker at {duration_text(sample.at_ms)}, before the remote-written samples: "
        "OpenMetrics cannot carry one into the backfilled blocks"
        for labels, samples in series
        for sample in samples
        if sample.stale and sample.at_ms <= eval_ms - RECENT_MS
    ]


def _labels(selector: str) -> Labels:
    """The label set a test writes as a series selector (`name{label="value", ...}`), `__name__` included."""
    node = unwrap(parse(selector))
    assert isinstance(node, promql.VectorSelector), f"not a series: {selector}"
    labels = {}
    for matcher in node.matchers.matchers:
        assert matcher.op == promql.MatchOp.Equal, f"not a series: {selector}"
        labels[str(matcher.name)] = str(matcher.value)
    if node.name:
        labels["__name__"] = str(node.name)
    return sorted_labels(labels)
