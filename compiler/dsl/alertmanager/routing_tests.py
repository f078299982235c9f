"""Tests of the routing tree and the inhibit rules: which receivers a label set reaches, which alerts are muted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from pydantic import Field, field_validator

from compiler.dsl.alertmanager.fields import Items
from compiler.dsl.definition import Definition
from compiler.dsl.syntax import check_label_name
from compiler.problems import SourceLocation

Labels = dict[str, str]


def _check_labels(label_sets: tuple[Labels, ...]) -> tuple[Labels, ...]:
    for labels in label_sets:
        for name in labels:
            check_label_name(name)
    return label_sets


class RouteTest(Definition):
    """An alert with `labels` reaches exactly `receivers`, in this order; with `group_by`, grouped by it.
    Run through `amtool config routes test` on the emitted configuration, and by moncc's own routing.

    Example:
        ```python
        from compiler.dsl import RouteTest

        critical_pages = RouteTest(
            labels={"alertname": "PostgresqlDown", "severity": "critical"}, receivers=["pager", "chat"]
        )
        ```
    """

    kind: ClassVar[str] = "route test"

    labels: Labels = Field(min_length=1)
    receivers: Items[str] = Field(min_length=1)
    group_by: Items[str] | None = None

    def __init__(
        self,
        *,
        labels: Mapping[str, str],
        receivers: Sequence[str],
        group_by: Sequence[str] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, Any] = {
            "labels": labels,
            "receivers": receivers,
            "group_by": group_by,
            "location": location,
        }
        super().__init__(**arguments)

    @field_validator("labels")
    @classmethod
    def _label_names(cls, labels: Labels) -> Labels:
        return _check_labels((labels,))[0]


class InhibitTest(Definition):
    """With every listed alert firing, each of `inhibited` is muted by an inhibit rule and none of
    `not_inhibited` is.

    Example:
        ```python
        from compiler.dsl import InhibitTest

        warning_muted = InhibitTest(
            firing=[{"alertname": "ApiBudgetBurn", "severity": "critical", "team": "api"}],
            inhibited=[{"alertname": "ApiBudgetBurn", "severity": "warning", "team": "api"}],
            not_inhibited=[{"alertname": "ApiBudgetBurn", "severity": "warning", "team": "payments"}],
        )
        ```
    """

    kind: ClassVar[str] = "inhibit test"

    firing: Items[Labels] = ()
    inhibited: Items[Labels] = ()
    not_inhibited: Items[Labels] = ()

    def __init__(
        self,
        *,
        firing: Sequence[Mapping[str, str]],
        inhibited: Sequence[Mapping[str, str]] = (),
        not_inhibited: Sequence[Mapping[str, str]] = (),
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, Any] = {
            "firing": firing,
            "inhibited": inhibited,
            "not_inhibited": not_inhibited,
            "location": location,
        }
        super().__init__(**arguments)

    @field_validator("firing", "inhibited", "not_inhibited")
    @classmethod
    def _label_names(cls, label_sets: tuple[Labels, ...]) -> tuple[Labels, ...]:
        return _check_labels(label_sets)

    def alerts(self) -> list[Labels]:
        """Every alert the test has firing: inhibited alerts still inhibit others, as in Alertmanager."""
        return [*self.firing, *self.inhibited, *self.not_inhibited]
