"""The routing tree, and how Alertmanager walks it: the first matching child wins unless it says `continue`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from pydantic import Field, InstanceOf, field_validator

from compiler.dsl.alertmanager.fields import Items, MatcherField
from compiler.dsl.alertmanager.matchers import Matcher, implied_by, matches_all
from compiler.dsl.definition import Definition
from compiler.dsl.durations import Duration
from compiler.dsl.syntax import check_label_name
from compiler.problems import DefinitionError, Problem, SourceLocation

DurationInput = str | timedelta

GROUP_BY_ALL = "..."
"""`group_by: ['...']` groups by every label: one notification per alert."""
DEFAULT_GROUP_WAIT = timedelta(seconds=30)
DEFAULT_GROUP_INTERVAL = timedelta(minutes=5)
DEFAULT_REPEAT_INTERVAL = timedelta(hours=4)


class Route(Definition):
    """A node of the routing tree. Unset settings are inherited from the parent; time intervals are not.

    The first argument names the receiver. An alert goes down to the first child whose `matchers` all match,
    and on to later siblings only when that child says `continue_=True`; the root takes what no child takes.

    Example:
        ```python
        from compiler.dsl import Route

        root = Route(
            "triage",
            group_by=["alertname", "team"],
            routes=[
                Route("pager", matchers=['severity="critical"'], group_wait="10s", continue_=True),
                Route("chat", matchers=['severity=~"critical|warning"'], mute_time_intervals=["maintenance"]),
                Route("tickets", matchers=['severity="info"'], repeat_interval="24h"),
            ],
        )
        ```
    """

    kind: ClassVar[str] = "route"

    receiver: str | None = None
    matchers: Items[MatcherField] = ()
    group_by: Items[str] | None = None
    group_wait: Duration | None = None
    group_interval: Duration | None = None
    repeat_interval: Duration | None = None
    continue_: bool = Field(default=False, alias="continue")
    mute_time_intervals: Items[str] = ()
    active_time_intervals: Items[str] = ()
    routes: Items[InstanceOf[Route]] = ()

    def __init__(
        self,
        receiver: str | None = None,
        /,
        *,
        matchers: Sequence[str | Matcher] = (),
        group_by: Sequence[str] | None = None,
        group_wait: DurationInput | None = None,
        group_interval: DurationInput | None = None,
        repeat_interval: DurationInput | None = None,
        continue_: bool = False,
        mute_time_intervals: Sequence[str] = (),
        active_time_intervals: Sequence[str] = (),
        routes: Sequence[Route] = (),
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, Any] = {
            "receiver": receiver,
            "matchers": matchers,
            "group_by": group_by,
            "group_wait": group_wait,
            "group_interval": group_interval,
            "repeat_interval": repeat_interval,
            "continue_": continue_,
            "mute_time_intervals": mute_time_intervals,
            "active_time_intervals": active_time_intervals,
            "routes": routes,
            "location": location,
        }
        super().__init__(**arguments)
        problems = list(_shadowed(self.routes))
        if problems:
            raise DefinitionError(problems)

    @field_validator("group_by")
    @classmethod
    def _group_labels(cls, group_by: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if group_by is None:
            return None
        if not group_by:
            raise ValueError(
                "an empty list is 'not set' to Alertmanager, so the parent's grouping applies: leave it out,"
                f" or write ['{GROUP_BY_ALL}'] for one notification per alert"
            )
        if GROUP_BY_ALL in group_by and len(group_by) > 1:
            raise ValueError(f"'{GROUP_BY_ALL}' groups by every label and stands alone")
        for name in group_by:
            if name != GROUP_BY_ALL:
                check_label_name(name)
        if len(set(group_by)) != len(group_by):
            raise ValueError("a label is named twice")
        return group_by

    @field_validator("group_interval", "repeat_interval")
    @classmethod
    def _not_zero(cls, interval: timedelta | None) -> timedelta | None:
        if interval == timedelta(0):
            raise ValueError("must be longer than 0s: Alertmanager refuses a zero interval")
        return interval

    def walk(self) -> Iterator[Route]:
        """This route and every route below it, depth first in order."""
        yield self
        for child in self.routes:
            yield from child.walk()


def _shadowed(siblings: tuple[Route, ...]) -> Iterator[Problem]:
    """A route no alert can reach: an earlier sibling without `continue` takes every alert it would match."""
    for index, route in enumerate(siblings):
        for earlier in siblings[:index]:
            if not earlier.continue_ and all(implied_by(matcher, route.matchers) for matcher in earlier.matchers):
                taken_by = ", ".join(str(matcher) for matcher in earlier.matchers) or "no matchers"
                yield Problem(
                    f"route: never reached: the route at line {earlier.location.line} ({taken_by}) takes every"
                    " alert it matches and has no continue_=True",
                    route.location,
                )
                break


@dataclass(frozen=True)
class Destination:
    """A route an alert ends at, with the settings it inherits from the routes above it."""

    route: Route
    receiver: str
    group_by: tuple[str, ...]
    group_wait: timedelta
    group_interval: timedelta
    repeat_interval: timedelta
    depth: int
    """0 for the root route: the alert matched no route below it."""


def destinations(root: Route, labels: Mapping[str, str]) -> list[Destination]:
    """The routes an alert with these labels reaches, in Alertmanager's order (dispatch/route.go `Match`)."""
    inherited = Destination(
        root, root.receiver or "", (), DEFAULT_GROUP_WAIT, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, 0
    )
    return _match(root, _settled(root, inherited), labels)


def _settled(route: Route, parent: Destination) -> Destination:
    return Destination(
        route,
        route.receiver or parent.receiver,
        parent.group_by if route.group_by is None else route.group_by,
        route.group_wait if route.group_wait is not None else parent.group_wait,
        route.group_interval if route.group_interval is not None else parent.group_interval,
        route.repeat_interval if route.repeat_interval is not None else parent.repeat_interval,
        parent.depth + 1 if route is not parent.route else parent.depth,
    )


def _match(route: Route, settled: Destination, labels: Mapping[str, str]) -> list[Destination]:
    if not matches_all(route.matchers, labels):
        return []
    reached: list[Destination] = []
    for child in route.routes:
        below = _match(child, _settled(child, settled), labels)
        reached.extend(below)
        if below and not child.continue_:
            break
    return reached or [settled]
