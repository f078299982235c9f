"""The DSL objects themselves: what they keep, how they normalise input, and where they say an error is."""

from __future__ import annotations

import inspect
from datetime import timedelta
from pathlib import Path

import pytest

from compiler.dsl import Alert, Record, RuleGroup
from compiler.dsl.durations import format_duration, parse_duration
from compiler.dsl.go_template import check_template
from compiler.problems import DefinitionError


def here() -> int:
    """The line number of the caller."""
    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno


def test_alert_keywords_become_labels_and_annotations() -> None:
    alert = Alert(
        "Down",
        expr="up == 0",
        severity="page",
        summary="down",
        description="really down",
        runbook_url="https://example.com",
    )
    assert alert.labels == {"severity": "page"}
    assert alert.annotations == {"description": "really down", "runbook_url": "https://example.com", "summary": "down"}


def test_a_keyword_may_repeat_a_map_entry_with_the_same_value() -> None:
    alert = Alert("Down", expr="up == 0", severity="page", labels={"severity": "page", "team": "sre"})
    assert alert.labels == {"severity": "page", "team": "sre"}


def test_labels_and_annotations_are_sorted() -> None:
    alert = Alert("Down", expr="up == 0", labels={"b": "2", "a": "1"}, annotations={"z": "", "m": ""})
    assert list(alert.labels) == ["a", "b"]
    assert list(alert.annotations) == ["m", "z"]
    assert list(Record("a:b:c", expr="up", labels={"y": "1", "x": "2"}).labels) == ["x", "y"]


def test_expressions_are_dedented_and_trimmed() -> None:
    written = """
            sum by (job) (
              up
            )
    """
    record = Record("job:up:sum", expr=written.replace("up\n", "up   \n"))  # trailing blanks go too
    assert record.expr == "sum by (job) (\n  up\n)"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30s", timedelta(seconds=30)),
        ("5m", timedelta(minutes=5)),
        ("1h30m", timedelta(minutes=90)),
        ("1500ms", timedelta(milliseconds=1500)),
        ("1d", timedelta(days=1)),
        ("0", timedelta(0)),
    ],
)
def test_durations_parse_to_timedeltas(text: str, value: timedelta) -> None:
    assert parse_duration(text) == value
    assert Alert("Down", expr="up == 0", for_=text).for_ == Alert("Down", expr="up == 0", for_=value).for_ == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(timedelta(minutes=90), "1h30m"), (timedelta(seconds=1, milliseconds=500), "1s500ms"), (timedelta(0), "0s")],
)
def test_durations_print_in_prometheus_syntax(value: timedelta, text: str) -> None:
    assert format_duration(value) == text


def test_a_definition_error_names_the_line_that_built_the_object() -> None:
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        Alert("Down", expr="up ==")
    [problem] = caught.value.problems
    assert problem.location is not None
    assert problem.location.path == Path(__file__).resolve()
    assert problem.location.line == line
    assert problem.message.startswith("alert Down: expr: invalid PromQL: ")


def test_objects_remember_where_they_were_written() -> None:
    line = here() + 1
    group = RuleGroup("g", rules=[Alert("Down", expr="up == 0")])
    assert (group.location.path, group.location.line) == (Path(__file__).resolve(), line)
    assert group.rules[0].location.line == line


def test_every_field_problem_of_one_object_is_reported() -> None:
    with pytest.raises(DefinitionError) as caught:
        Alert("Down", expr="up ==", for_="5", labels={"bad-name": "x"})
    fields = sorted(problem.message.split(": ")[1] for problem in caught.value.problems)
    assert fields == ["expr", "for", "labels"]


def test_severity_contradiction() -> None:
    with pytest.raises(DefinitionError) as caught:
        Alert("Down", expr="up == 0", severity="page", labels={"severity": "ticket"})
    assert [problem.message for problem in caught.value.problems] == [
        "alert Down: severity='page' contradicts labels['severity']='ticket'; give it once"
    ]


def test_definitions_are_immutable() -> None:
    alert = Alert("Down", expr="up == 0")
    with pytest.raises(Exception, match="frozen"):
        alert.name = "Up"  # type: ignore[misc]


def test_group_properties() -> None:
    record = Record("job:up:sum", expr="sum by (job) (up)")
    alert = Alert("Down", expr="job:up:sum == 0")
    group = RuleGroup("g", rules=[record, alert], interval="1m", limit=5)
    assert group.records == [record]
    assert group.alerts == [alert]
    assert (group.interval, group.limit) == (timedelta(minutes=1), 5)


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(DefinitionError, match="group g: limit: "):
        RuleGroup("g", rules=[Alert("Down", expr="up == 0")], limit=-1)


@pytest.mark.parametrize(
    "text",
    [
        "plain text",
        "{{ $labels.job }} on {{ $labels.instance }}",
        '{{ "}}" }} and {{ `{{` }}',
        "{{ $value | humanizePercentage }}",
        '{{- range $i, $x := query "up" }}{{ $x.Labels.job }}{{ end -}}',
        "a }} b, and }} alone: text outside an action",
        "{{/* a }} in a comment */}} {{- /* trimmed */ -}}",
        '{{ \'}\' }} {{ "a\\"}}" }} {{ `raw }}\nlines` }}',
        '{{ $labels.job\n}} {{ (printf "%s" ")") }}',
    ],
)
def test_balanced_templates_are_accepted(text: str) -> None:
    assert check_template(text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ $labels.job", "unbalanced template: '{{' at offset 0 is never closed"),
        ("{{ a {{ b }} }}", "unbalanced template: '{{' inside an action at offset 5"),
        ('{{ "}} }}', "invalid template: unterminated quoted string at offset 3"),
        ('{{ "a\nb" }}', "invalid template: unterminated quoted string at offset 3"),
        ("{{ `}} }}", "invalid template: unterminated raw quoted string at offset 3"),
        ("{{ '}} }}", "invalid template: unterminated character constant at offset 3"),
        ("{{/* }}", "invalid template: unclosed comment at offset 2"),
        ("{{/* c */ }}", "invalid template: comment ends before closing delimiter at offset 9"),
        ("{{- /* c */-}}", "invalid template: comment ends before closing delimiter at offset 11"),
        ("{{ (1 }}", "invalid template: unclosed left paren in the action at offset 0"),
        ("{{ 1) }}", "invalid template: unexpected right paren at offset 4"),
    ],
)
def test_templates_go_cannot_delimit_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_template(text)
    assert str(caught.value) == message
