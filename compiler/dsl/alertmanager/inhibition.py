"""Inhibit rules, and how Alertmanager applies them: a firing source mutes matching targets that share the
`equal` labels (a label neither carries counts as equal, which is why moncc checks that both sides have it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from pydantic import Field, field_validator

from compiler.dsl.alertmanager.fields import Items, MatcherField
from compiler.dsl.alertmanager.matchers import Matcher, matches_all
from compiler.dsl.definition import Definition
from compiler.dsl.syntax import check_label_name
from compiler.problems import SourceLocation


class InhibitRule(Definition):
    """While an alert matching `source` fires, alerts matching `target` with the same `equal` labels are muted.

    Example:
        ```python
        from compiler.dsl import InhibitRule

        warning_under_critical = InhibitRule(
            source=['severity="critical"'], target=['severity="warning"'], equal=["alertname", "team"]
        )
        ```
    """

    kind: ClassVar[str] = "inhibit rule"

    source: Items[MatcherField] = Field(min_length=1)
    target: Items[MatcherField] = Field(min_length=1)
    equal: Items[str] = ()

    def __init__(
        self,
        *,
        source: Sequence[str | Matcher],
        target: Sequence[str | Matcher],
        equal: Sequence[str] = (),
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, Any] = {
            "source": source,
            "target": target,
            "equal": equal,
            "location": location,
        }
        super().__init__(**arguments)

    @field_validator("equal")
    @classmethod
    def _label_names(cls, equal: tuple[str, ...]) -> tuple[str, ...]:
        for name in equal:
            check_label_name(name)
        return equal

    def inhibits(self, source: Mapping[str, str], target: Mapping[str, str]) -> bool:
        """Whether a firing alert with labels `source` mutes one with labels `target` (inhibit/inhibit.go):
        when the target matches both sides, sources that do too are not counted."""
        return (
            matches_all(self.target, target)
            and matches_all(self.source, source)
            and all(source.get(name, "") == target.get(name, "") for name in self.equal)
            and not (matches_all(self.source, target) and matches_all(self.target, source))
        )


def inhibited_by(
    rules: Iterable[InhibitRule], target: Mapping[str, str], firing: Iterable[Mapping[str, str]]
) -> list[tuple[InhibitRule, Mapping[str, str]]]:
    """Each rule and firing alert that mutes `target`."""
    firing = list(firing)
    return [(rule, source) for rule in rules for source in firing if rule.inhibits(source, target)]
