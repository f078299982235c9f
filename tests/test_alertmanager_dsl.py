"""The Alertmanager DSL: matchers read and applied as Alertmanager reads them, the routing tree walked as
dispatch/route.go walks it, inhibit rules applied as inhibit/inhibit.go applies them, and every mistake one
line at the author's line."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from compiler.dsl import (
    Alertmanager,
    InhibitRule,
    InhibitTest,
    PagerDuty,
    Period,
    Receiver,
    Route,
    RouteTest,
    Secret,
    TimeInterval,
    Webhook,
)
from compiler.dsl.alertmanager.inhibition import inhibited_by
from compiler.dsl.alertmanager.matchers import Matcher, parse_matcher, parse_matchers
from compiler.dsl.alertmanager.routes import Destination, destinations
from compiler.problems import DefinitionError, SourceLocation


def here() -> int:
    """The line number of the caller."""
    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno


def at(line: int) -> str:
    """How a problem names a line of this file."""
    return str(SourceLocation(Path(__file__).resolve(), line))


def problems(caught: pytest.ExceptionInfo[DefinitionError]) -> list[str]:
    """The problem lines of a DefinitionError, each checked to be one line."""
    lines = [str(problem) for problem in caught.value.problems]
    assert all(len(line.splitlines()) == 1 for line in lines)
    return lines


# --- matchers: reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "operator", "value"),
    [
        ('severity="critical"', "severity", "=", "critical"),
        ("severity=critical", "severity", "=", "critical"),
        ('  team =~ "db|infra"  ', "team", "=~", "db|infra"),
        ('team!="db"', "team", "!=", "db"),
        ('team!~"db.*"', "team", "!~", "db.*"),
        ('team=""', "team", "=", ""),
        ("team=", "team", "=", ""),
        (r'summary="say \"hi\""', "summary", "=", 'say "hi"'),
        (r'path="C:\\temp"', "path", "=", "C:\\temp"),
        (r'text="two\nlines"', "text", "=", "two\nlines"),
        (r'code=~"5\d\d"', "code", "=~", r"5\d\d"),
        ('value="a,b {c}"', "value", "=", "a,b {c}"),
        (r"text=two\nlines", "text", "=", "two\nlines"),
        (r"path=C:\\temp", "path", "=", "C:\\temp"),
        (r"host=~a\\.example", "host", "=~", r"a\.example"),
        (r"code=~5\d\d", "code", "=~", r"5\d\d"),
        ("path=C:\\", "path", "=", "C:\\"),
        ("severity =\tcritical\n", "severity", "=", "critical"),
    ],
)
def test_matchers_are_read_as_alertmanager_writes_them(text: str, name: str, operator: str, value: str) -> None:
    assert parse_matcher(text) == Matcher(name, operator, value)


def test_an_unknown_escape_keeps_its_backslash_as_alertmanager_does() -> None:
    assert parse_matcher(r'code=~"5\d\d"').matches({"code": "503"})
    assert parse_matcher(r'tab="a\tb"').value == "a\\tb"


def test_escapes_are_read_in_an_unquoted_value_too() -> None:
    """pkg/labels/parse.go unescapes `\\n`, `\\"` and `\\\\` whether or not the value is quoted: `a\\\\.b`
    unquoted is the regular expression `a\\.b`, which matches a dot, not a backslash."""
    matcher = parse_matcher(r"host=~a\\.example")
    assert matcher.matches({"host": "a.example"})
    assert not matcher.matches({"host": "a\\xexample"})


@pytest.mark.parametrize(
    ("text", "matchers"),
    [
        ('{severity="critical", team=~"db|api"}', ['severity="critical"', 'team=~"db|api"']),
        ("severity=critical,team=db", ['severity="critical"', 'team="db"']),
        ("severity = critical, ", ['severity="critical"']),
        ('summary="a, b", team=db', ['summary="a, b"', 'team="db"']),
        (r'summary="say \"a, b\"",team=db', [r'summary="say \"a, b\""', 'team="db"']),
        ("{severity=critical", ['severity="critical"']),
    ],
)
def test_one_matchers_item_may_hold_several_as_in_alertmanager(text: str, matchers: list[str]) -> None:
    assert [str(matcher) for matcher in parse_matchers(text)] == matchers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("severity=critical,,team=db", "matcher '': expected name=\"value\""),
        (" {severity=critical} ", "matcher '{severity=critical}': expected name=\"value\""),
    ],
)
def test_a_matchers_item_alertmanager_refuses_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_matchers(text)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("value", ['say "hi"', "C:\\temp", "two\nlines", r"5\d\d", "", "a,b {c}"])
def test_a_matchers_text_reads_back_as_the_same_matcher(value: str) -> None:
    matcher = Matcher("label", "=", value)
    assert parse_matcher(str(matcher)) == matcher
    assert str(matcher).endswith('"')


def test_a_matcher_is_written_with_its_value_quoted_and_escaped() -> None:
    assert str(Matcher("summary", "!=", 'say "hi"\\\n')) == r'summary!="say \"hi\"\\\n"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('severity=="critical"', "matcher 'severity==\"critical\"': quote a value that holds '\"', '{', '}' or ','"),
        ("team=a,b", "matcher 'team=a,b': quote a value that holds '\"', '{', '}' or ','"),
        ('team<"db"', 'matcher \'team<"db"\': expected name="value", name!="value", name=~"regex" or'),
        ('team~="db"', 'matcher \'team~="db"\': expected name="value"'),
        ('team=="db"', "quote a value"),
        ('{team="db"}', 'expected name="value"'),
        ('1team="db"', 'expected name="value"'),
        ('team-name="db"', 'expected name="value"'),
        ('team:name="db"', "matcher 'team:name': not a valid label name"),
        ('team="db\\\\""', 'escape a quote inside the value as \\"'),
        ('team="db', "matcher 'team=\"db': the value's closing quote is missing"),
        ('team="', "the value's closing quote is missing"),
        ('team="db\\"', "the value's closing quote is escaped, so it is missing"),
        ('team="d"b"', 'escape a quote inside the value as \\"'),
        ('team=~"(db"', 'matcher team=~"(db": invalid regular expression: missing closing )'),
        ('team!~"*"', 'matcher team!~"*": invalid regular expression: missing argument to repetition operator: `*`'),
    ],
)
def test_a_bad_matcher_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_matcher(text)
    assert message in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_a_matcher_needs_a_label_name_and_a_known_operator() -> None:
    with pytest.raises(ValueError, match=r"^matcher 'team name': not a valid label name$"):
        Matcher("team name", "=", "db")
    with pytest.raises(ValueError, match=r"^matcher team==: the operator must be one of =, !=, =~, !~$"):
        Matcher("team", "==", "db")


def test_a_matcher_that_is_not_text_is_refused() -> None:
    with pytest.raises(ValueError, match="a matcher is a string such as"):
        parse_matcher(3)  # type: ignore[arg-type]


# --- matchers: applying ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ('team=""', True),
        ('team!="db"', True),
        ('team=~".*"', True),
        ('team=~"db|"', True),
        ('team!~".+"', True),
        ('team="db"', False),
        ('team=~".+"', False),
        ('team!=""', False),
    ],
)
def test_a_label_the_alert_lacks_reads_as_the_empty_string(text: str, matched: bool) -> None:
    assert parse_matcher(text).matches({"severity": "critical"}) is matched


@pytest.mark.parametrize(
    ("text", "value", "matched"),
    [
        ('team=~"db"', "db", True),
        ('team=~"db"', "db-replica", False),
        ('team=~"db"', "infra-db", False),
        ('team=~"db|infra"', "infra", True),
        ('team=~"db|infra"', "dbinfra", False),
        ('team=~"db.*"', "db-replica", True),
        ('team=~"db"', "db\n", False),
        ('team=~"a.b"', "a\nb", False),
        ('team=~"a.b"', "a-b", True),
        ('team=~"(?i)db"', "DB", True),
        ('team=~"db"', "DB", False),
    ],
)
def test_a_regular_expression_must_match_the_whole_value(text: str, value: str, matched: bool) -> None:
    """Alertmanager compiles `^(?:regex)$` with Go's defaults: `.` stops at a line break, `$` is the end."""
    assert parse_matcher(text).matches({"team": value}) is matched


@pytest.mark.parametrize(
    ("text", "value", "matched"),
    [
        ('team!="db"', "db", False),
        ('team!="db"', "infra", True),
        ('team!~"db|infra"', "infra", False),
        ('team!~"db|infra"', "web", True),
        ('team!~"db"', "db-replica", True),
    ],
)
def test_a_negative_matcher_matches_what_its_positive_twin_does_not(text: str, value: str, matched: bool) -> None:
    assert parse_matcher(text).matches({"team": value}) is matched


# --- routing: which routes an alert reaches -------------------------------------------------------------------


def tree() -> Route:
    """critical pages and goes to chat too; warnings go to chat (the database team's to its own room);
    info becomes a ticket; anything else reaches the root's receiver."""
    return Route(
        "triage",
        group_by=["alertname", "team"],
        group_wait="45s",
        routes=[
            Route("pager", matchers=['severity="critical"'], group_wait="10s", repeat_interval="1h", continue_=True),
            Route(
                "chat",
                matchers=['severity=~"critical|warning"'],
                routes=[Route("db-chat", matchers=['team="db"'], group_by=["alertname", "instance"])],
            ),
            Route("tickets", matchers=['severity="info"'], group_interval="1h", repeat_interval="24h"),
        ],
    )


def reached(root: Route, labels: dict[str, str]) -> list[tuple[str, int]]:
    return [(destination.receiver, destination.depth) for destination in destinations(root, labels)]


def test_continue_lets_an_alert_reach_the_next_matching_sibling_too() -> None:
    assert reached(tree(), {"severity": "critical"}) == [("pager", 1), ("chat", 1)]


def test_without_continue_the_first_matching_sibling_takes_the_alert() -> None:
    root = Route(
        "triage",
        routes=[Route("db", matchers=['team="db"']), Route("pager", matchers=['severity="critical"'])],
    )
    assert reached(root, {"severity": "critical", "team": "db"}) == [("db", 1)]
    assert reached(root, {"severity": "critical", "team": "web"}) == [("pager", 1)]


def test_an_alert_ends_at_the_deepest_matching_route() -> None:
    assert reached(tree(), {"severity": "warning", "team": "db"}) == [("db-chat", 2)]
    assert reached(tree(), {"severity": "critical", "team": "db"}) == [("pager", 1), ("db-chat", 2)]


def test_a_route_whose_children_all_miss_is_itself_the_destination() -> None:
    assert reached(tree(), {"severity": "warning", "team": "web"}) == [("chat", 1)]


def test_an_alert_no_route_takes_reaches_the_root_at_depth_zero() -> None:
    assert reached(tree(), {"alertname": "Watchdog"}) == [("triage", 0)]
    assert reached(tree(), {"severity": "debug"}) == [("triage", 0)]


def test_settings_are_inherited_from_the_routes_above() -> None:
    pager, chat = destinations(tree(), {"severity": "critical"})
    assert (pager.group_by, pager.group_wait, pager.repeat_interval) == (
        ("alertname", "team"),
        timedelta(seconds=10),
        timedelta(hours=1),
    )
    assert (chat.group_by, chat.group_wait, chat.repeat_interval) == (
        ("alertname", "team"),
        timedelta(seconds=45),
        timedelta(hours=4),
    )
    [db_chat] = destinations(tree(), {"severity": "warning", "team": "db"})
    assert (db_chat.group_by, db_chat.group_wait) == (("alertname", "instance"), timedelta(seconds=45))
    [ticket] = destinations(tree(), {"severity": "info"})
    assert (ticket.group_wait, ticket.group_interval, ticket.repeat_interval) == (
        timedelta(seconds=45),
        timedelta(hours=1),
        timedelta(hours=24),
    )


def test_the_root_starts_from_alertmanagers_defaults() -> None:
    root = Route("triage", routes=[Route("chat", matchers=['severity="warning"'])])
    [fallback] = destinations(root, {})
    assert fallback == Destination(
        root, "triage", (), timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=4), 0
    )
    [chat] = destinations(root, {"severity": "warning"})
    assert (chat.group_by, chat.group_wait, chat.group_interval, chat.repeat_interval) == (
        (),
        timedelta(seconds=30),
        timedelta(minutes=5),
        timedelta(hours=4),
    )


def test_a_route_without_a_receiver_sends_to_its_parents() -> None:
    root = Route(
        "triage",
        routes=[
            Route("chat", matchers=['severity="warning"'], routes=[Route(matchers=['team="db"'], group_wait="1m")])
        ],
    )
    [destination] = destinations(root, {"severity": "warning", "team": "db"})
    assert (destination.receiver, destination.depth, destination.group_wait) == ("chat", 2, timedelta(minutes=1))


def test_group_by_everything_is_inherited_until_a_route_names_labels() -> None:
    root = Route(
        "triage",
        group_by=["..."],
        routes=[
            Route("db", matchers=['team="db"'], routes=[Route("db-pager", matchers=['severity="critical"'])]),
            Route("web", matchers=['team="web"'], group_by=["alertname"]),
        ],
    )
    assert [destination.group_by for destination in destinations(root, {"team": "db", "severity": "critical"})] == [
        ("...",)
    ]
    assert [destination.group_by for destination in destinations(root, {"team": "web"})] == [("alertname",)]


def test_a_route_below_a_parent_that_misses_is_not_reached() -> None:
    root = Route(
        "triage",
        routes=[Route("db", matchers=['team="db"'], routes=[Route("pager", matchers=['severity="critical"'])])],
    )
    assert reached(root, {"severity": "critical", "team": "web"}) == [("triage", 0)]


# --- inhibition -----------------------------------------------------------------------------------------------

CRITICAL_MUTES_WARNING = InhibitRule(
    source=['severity="critical"'], target=['severity="warning"'], equal=["alertname", "team"]
)


def test_a_source_mutes_a_target_with_the_same_equal_labels() -> None:
    source = {"alertname": "ApiDown", "severity": "critical", "team": "api", "instance": "a"}
    assert CRITICAL_MUTES_WARNING.inhibits(source, {"alertname": "ApiDown", "severity": "warning", "team": "api"})


@pytest.mark.parametrize(
    "target",
    [
        {"alertname": "ApiDown", "severity": "warning", "team": "db"},
        {"alertname": "ApiSlow", "severity": "warning", "team": "api"},
        {"alertname": "ApiDown", "severity": "warning"},
        {"alertname": "ApiDown", "severity": "info", "team": "api"},
    ],
)
def test_a_target_that_differs_in_an_equal_label_or_misses_the_target_side_is_not_muted(
    target: dict[str, str],
) -> None:
    assert not CRITICAL_MUTES_WARNING.inhibits({"alertname": "ApiDown", "severity": "critical", "team": "api"}, target)


def test_a_source_must_match_the_source_side() -> None:
    target = {"alertname": "ApiDown", "severity": "warning", "team": "api"}
    assert not CRITICAL_MUTES_WARNING.inhibits({"alertname": "ApiDown", "severity": "warning", "team": "api"}, target)


def test_a_label_missing_on_both_sides_counts_as_equal() -> None:
    assert CRITICAL_MUTES_WARNING.inhibits(
        {"alertname": "ApiDown", "severity": "critical"}, {"alertname": "ApiDown", "severity": "warning"}
    )


def test_a_target_that_matches_both_sides_is_not_muted_by_sources_that_do_too() -> None:
    """inhibit.go `hasEqual(lset, excludeTwoSidedMatch)`: an alert matching both sides does not mute its like."""
    rule = InhibitRule(source=['source="yes"'], target=['target="yes"'])
    both = {"source": "yes", "target": "yes"}
    assert not rule.inhibits({"source": "yes", "target": "yes", "instance": "b"}, both)
    assert rule.inhibits({"source": "yes"}, both)
    assert rule.inhibits({"source": "yes", "target": "yes"}, {"target": "yes"})


def test_inhibited_by_names_each_rule_and_source_that_mutes_a_target() -> None:
    team_rule = InhibitRule(source=['alertname="ClusterDown"'], target=['severity="warning"'], equal=["cluster"])
    target = {"alertname": "ApiDown", "severity": "warning", "team": "api", "cluster": "eu"}
    critical = {"alertname": "ApiDown", "severity": "critical", "team": "api", "cluster": "us"}
    cluster_eu = {"alertname": "ClusterDown", "cluster": "eu"}
    cluster_us = {"alertname": "ClusterDown", "cluster": "us"}
    firing = [target, critical, cluster_us, cluster_eu]
    assert inhibited_by([CRITICAL_MUTES_WARNING, team_rule], target, firing) == [
        (CRITICAL_MUTES_WARNING, critical),
        (team_rule, cluster_eu),
    ]
    assert inhibited_by([CRITICAL_MUTES_WARNING, team_rule], critical, firing) == []


def test_an_alert_matching_both_sides_does_not_mute_itself() -> None:
    rule = InhibitRule(source=['severity=~"critical|warning"'], target=['severity=~"warning|info"'])
    warning = {"alertname": "DiskFull", "severity": "warning"}
    assert inhibited_by([rule], warning, [warning]) == []


# --- construction errors: one line, at the author's line ------------------------------------------------------


def test_a_route_to_an_unknown_receiver_is_refused_at_the_routes_line() -> None:
    line = here() + 1
    misspelt = Route("pagre", matchers=['severity="critical"'])
    with pytest.raises(DefinitionError) as caught:
        Alertmanager(route=Route("triage", routes=[misspelt]), receivers=[Receiver("triage"), Receiver("pager")])
    assert problems(caught) == [f"{at(line)}: route: unknown receiver 'pagre'; receivers: pager, triage"]


def test_a_route_to_an_unknown_time_interval_is_refused_at_the_routes_line() -> None:
    line = here() + 1
    muted = Route("chat", matchers=['severity="warning"'], mute_time_intervals=["weekend"])
    nights = TimeInterval("nights", [Period(times=["00:00-06:00"])])
    with pytest.raises(DefinitionError) as caught:
        Alertmanager(route=Route("chat", routes=[muted]), receivers=[Receiver("chat")], time_intervals=[nights])
    assert problems(caught) == [f"{at(line)}: route: unknown time interval 'weekend'; time intervals: nights"]


def test_a_route_an_earlier_sibling_always_takes_is_refused_at_its_line() -> None:
    line = here() + 1
    chat = Route("chat", matchers=['severity=~"critical|warning"'])
    pager = Route("pager", matchers=['severity="critical"', 'team="db"'])
    with pytest.raises(DefinitionError) as caught:
        Route("triage", routes=[chat, pager])
    assert problems(caught) == [
        f'{at(line + 1)}: route: never reached: the route at line {line} (severity=~"critical|warning") takes every'
        " alert it matches and has no continue_=True"
    ]


def test_a_route_after_a_catch_all_sibling_is_refused() -> None:
    line = here() + 1
    everything, pager = Route("chat"), Route("pager", matchers=['severity="critical"'])
    with pytest.raises(DefinitionError) as caught:
        Route("triage", routes=[everything, pager])
    assert problems(caught) == [
        f"{at(line)}: route: never reached: the route at line {line} (no matchers) takes every alert it matches"
        " and has no continue_=True"
    ]


@pytest.mark.parametrize(
    "siblings",
    [
        [("chat", ['severity=~"critical|warning"'], True), ("pager", ['severity="critical"'], False)],
        [("chat", ['severity="warning"'], False), ("pager", ['severity="critical"'], False)],
        [("db", ['team="db"'], False), ("pager", ['severity="critical"'], False)],
        [("pager", ['severity="critical"', 'team="db"'], False), ("chat", ['severity="critical"'], False)],
    ],
)
def test_a_route_an_earlier_sibling_does_not_always_take_is_kept(siblings: list[tuple[str, list[str], bool]]) -> None:
    routes = [Route(receiver, matchers=matchers, continue_=continue_) for receiver, matchers, continue_ in siblings]
    assert Route("triage", routes=routes).routes == tuple(routes)


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("group_wait", "5 minutes", "group_wait: invalid duration '5 minutes': expected Prometheus syntax such as"),
        ("repeat_interval", "4", "repeat_interval: invalid duration '4': a unit is required"),
        ("group_interval", "0s", "group_interval: must be longer than 0s: Alertmanager refuses a zero interval"),
        ("repeat_interval", timedelta(0), "repeat_interval: must be longer than 0s"),
    ],
)
def test_a_bad_duration_is_refused_at_the_routes_line(keyword: str, value: object, message: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        Route("chat", **{keyword: value})  # type: ignore[arg-type]
    [problem] = problems(caught)
    assert problem.startswith(f"{at(line)}: route: {message}")


def test_a_bad_group_by_is_refused() -> None:
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        Route("chat", group_by=["...", "team"])
    assert problems(caught) == [f"{at(line)}: route: group_by: '...' groups by every label and stands alone"]


def test_a_bad_matcher_is_refused_at_the_routes_line() -> None:
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        Route("pager", matchers=['severity="critical"', 'severity=="critical"'])
    assert problems(caught) == [
        f"{at(line)}: route: matchers.1: matcher 'severity==\"critical\"': quote a value that holds '\"', '{{', '}}'"
        " or ','"
    ]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            {"times": ["17:00-09:00"]},
            "times: '17:00-09:00': the start must come before the end, both within 00:00-24:00",
        ),
        ({"times": ["09:00-24:01"]}, "times: '09:00-24:01': the start must come before the end"),
        ({"times": ["9:00-17:00"]}, "times: '9:00-17:00' is not a time range such as '09:00-17:00'"),
        ({"times": ["09:00"]}, "times: '09:00' is not a time range such as '09:00-17:00'"),
        ({"weekdays": ["funday"]}, "weekdays: 'funday': expected one of sunday, monday, tuesday"),
        ({"weekdays": ["friday:monday"]}, "weekdays: 'friday:monday': the range must not run backwards"),
        ({"weekdays": ["monday:tuesday:friday"]}, "weekdays: 'monday:tuesday:friday': expected one of"),
        ({"months": ["december:january"]}, "months: 'december:january': the range must not run backwards"),
        ({"days_of_month": ["0"]}, "days_of_month: '0': days of the month are 1 to 31, or -31 to -1 from the end"),
        ({"days_of_month": ["1:32"]}, "days_of_month: '1:32': days of the month are 1 to 31"),
        ({"days_of_month": ["10:5"]}, "days_of_month: '10:5': the end comes before the start"),
        ({"days_of_month": ["25:-5"]}, "days_of_month: '25:-5': the end comes before the start"),
        ({"days_of_month": ["-5:-10"]}, "days_of_month: '-5:-10': the end comes before the start"),
        ({"days_of_month": ["-3:5"]}, "days_of_month: '-3:5': a range that starts from the end of the month"),
        ({"years": ["2027:2026"]}, "years: '2027:2026' is not a year or an ascending range of years"),
        ({"time_zone": "Mars/Olympus"}, "time_zone: 'Mars/Olympus' is not an IANA time zone such as 'Europe/Berlin'"),
        ({"time_zone": "../../etc/passwd"}, "time_zone: '../../etc/passwd' is not an IANA time zone"),
    ],
)
def test_a_bad_period_is_refused_at_its_line(period: dict[str, object], message: str) -> None:
    """Each of these is a configuration Alertmanager refuses to load."""
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        Period(**period)
    [problem] = problems(caught)
    assert problem.startswith(f"{at(line)}: period: {message}")


def test_periods_alertmanager_accepts_are_kept() -> None:
    period = Period(
        times=["09:00-17:00", "22:00-24:00"],
        weekdays=["Monday:Friday", "sunday"],
        days_of_month=["1:-1", "5:-5", "-7:-1", "15"],
        months=["january:march"],
        years=["2026:2027"],
        time_zone="Europe/Berlin",
    )
    assert period.weekdays == ["monday:friday", "sunday"]
    assert period.days_of_month == ["1:-1", "5:-5", "-7:-1", "15"]


def test_a_receiver_defined_twice_is_refused_at_the_second() -> None:
    first_line = here() + 1
    first = Receiver("chat")
    line = here() + 1
    second = Receiver("chat")
    with pytest.raises(DefinitionError) as caught:
        Alertmanager(route=Route("chat"), receivers=[first, second])
    assert problems(caught) == [f"{at(line)}: receiver chat: defined twice (first at {at(first_line)})"]


@pytest.mark.parametrize(
    ("root", "message"),
    [
        ({"matchers": ['severity="critical"']}, "route: the root route matches every alert and takes no matchers"),
        ({"continue_": True}, "route: the root route has no siblings, so continue_=True means nothing"),
        ({"mute_time_intervals": ["nights"]}, "route: the root route cannot have time intervals"),
    ],
)
def test_a_root_route_alertmanager_refuses_is_refused_at_its_line(root: dict[str, object], message: str) -> None:
    nights = TimeInterval("nights", [Period(times=["00:00-06:00"])])
    line = here() + 1
    route = Route("triage", **root)  # type: ignore[arg-type]
    with pytest.raises(DefinitionError) as caught:
        Alertmanager(route=route, receivers=[Receiver("triage")], time_intervals=[nights])
    [problem] = problems(caught)
    assert problem.startswith(f"{at(line)}: {message}")


def test_a_root_route_without_a_receiver_is_refused() -> None:
    line = here() + 1
    route = Route(routes=[Route("chat", matchers=['severity="warning"'])])
    with pytest.raises(DefinitionError) as caught:
        Alertmanager(route=route, receivers=[Receiver("chat")])
    assert problems(caught) == [
        f"{at(line)}: route: the root route needs a receiver: the one alerts no other route takes reach"
    ]


@pytest.mark.parametrize(
    ("name", "key", "message"),
    [
        ("Slack_Webhook", "url", "secret Slack_Webhook: name: 'Slack_Webhook' is not a Kubernetes Secret name"),
        ("slack-", "url", "secret slack-: name: 'slack-' is not a Kubernetes Secret name"),
        ("slack", "api/url", "secret slack: key: 'api/url' is not a Kubernetes Secret key"),
        ("slack", "..", "secret slack: key: '..' is not a Kubernetes Secret key"),
    ],
)
def test_a_secret_kubernetes_would_refuse_is_refused_at_its_line(name: str, key: str, message: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        Secret(name, key)
    [problem] = problems(caught)
    assert problem.startswith(f"{at(line)}: {message}")


def test_a_secret_is_read_where_the_operator_mounts_it() -> None:
    assert Secret("alertmanager-slack", "api-url").path == "/etc/alertmanager/secrets/alertmanager-slack/api-url"
    assert Secret("slack", "url", file="/run/secrets/slack").path == "/run/secrets/slack"


def test_pagerduty_takes_exactly_one_key() -> None:
    key = Secret("pagerduty", "routing-key")
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        PagerDuty(routing_key=key, service_key=Secret("pagerduty", "service-key"))
    assert problems(caught) == [f"{at(line)}: pagerduty: give exactly one of routing_key and service_key"]
    with pytest.raises(DefinitionError) as caught:
        line = here() + 1
        PagerDuty()
    assert problems(caught) == [f"{at(line)}: pagerduty: give exactly one of routing_key and service_key"]
    assert PagerDuty(service_key=key).service_key == key


def test_every_problem_of_one_configuration_is_reported_at_once() -> None:
    line = here() + 1
    first, second, root = Receiver("chat"), Receiver("chat"), Route("triage", routes=[Route("nobody")])
    with pytest.raises(DefinitionError) as caught:
        Alertmanager(route=root, receivers=[first, second])
    assert problems(caught) == [
        f"{at(line)}: receiver chat: defined twice (first at {at(line)})",
        f"{at(line)}: route: unknown receiver 'triage'; receivers: chat",
        f"{at(line)}: route: unknown receiver 'nobody'; receivers: chat",
    ]


def untyped(value: object) -> Any:
    """A value as an author without a type checker may pass it."""
    return value


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: Route("triage", routes=untyped(Route("chat"))), "route: routes: expected a list, got a Route"),
        (
            lambda: Route("chat", matchers=untyped('severity="warning"')),
            "route: matchers: expected a list, got the string 'severity=\"warning\"'",
        ),
        (lambda: Route("chat", group_by=untyped({"alertname", "team"})), "route: group_by: expected a list, got a set"),
        (
            lambda: Receiver("chat", untyped(Webhook(url="http://chat"))),
            "receiver chat: integrations: expected a list, got a Webhook",
        ),
        (
            lambda: TimeInterval("nights", untyped(Period(times=["00:00-06:00"]))),
            "time interval nights: periods: expected a list, got a Period",
        ),
        (lambda: Period(weekdays=untyped({"saturday", "sunday"})), "period: weekdays: expected a list, got a set"),
        (
            lambda: Alertmanager(route=Route("chat"), receivers=untyped(Receiver("chat"))),
            "alertmanager: receivers: expected a list, got a Receiver",
        ),
        (
            lambda: Alertmanager(route=Route("chat"), receivers=[Receiver("chat")], unrouted=untyped(["Watchdog"])),
            "alertmanager: unrouted: Input should be a valid dictionary",
        ),
        (
            lambda: RouteTest(labels=untyped("severity=critical"), receivers=["chat"]),
            "route test: labels: Input should be a valid dictionary",
        ),
        (
            lambda: InhibitTest(firing=untyped({"severity": "critical"})),
            "inhibit test: firing: expected a list, got a dict",
        ),
    ],
)
def test_a_value_that_is_not_a_list_or_dict_is_one_problem(make: Callable[[], object], problem: str) -> None:
    """Not taken apart into items (a string's characters, a DSL object's fields, a set in an order that changes
    from run to run), nor refused in Python's own words."""
    with pytest.raises(DefinitionError) as caught:
        make()
    [line] = problems(caught)
    assert line.split(": ", 1)[1] == problem


def test_an_empty_group_by_is_refused_as_alertmanager_reads_it_as_unset() -> None:
    line = here() + 2
    with pytest.raises(DefinitionError) as caught:
        Route("chat", group_by=[])
    assert problems(caught) == [
        f"{at(line)}: route: group_by: an empty list is 'not set' to Alertmanager, so the parent's grouping"
        " applies: leave it out, or write ['...'] for one notification per alert"
    ]
