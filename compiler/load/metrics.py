"""The metrics catalogue: the `Metric` declarations of `rules_src/`, looked up by the series names queries use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from compiler.dsl.metrics import Metric, SeriesShape
from compiler.problems import Problem

TARGET_LABELS = frozenset({"job", "instance"})
"""Labels Prometheus adds to every scraped series, so no declaration lists them."""


@dataclass(frozen=True)
class Catalogue:
    """Every declared series by name; empty when the repository declares no metrics (then lint guesses)."""

    series: dict[str, SeriesShape] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.series)

    def get(self, name: str) -> SeriesShape | None:
        return self.series.get(name)


def build_catalogue(metrics: Iterable[Metric]) -> tuple[Catalogue, list[Problem]]:
    """Index the declarations by series name; two declaring one series is a problem at the second."""
    series: dict[str, SeriesShape] = {}
    problems: list[Problem] = []
    for metric in metrics:
        for name, shape in metric.series().items():
            first = series.setdefault(name, shape)
            if first is not shape:
                problems.append(
                    Problem(
                        f"metric {metric.name}: series {name} already declared at {first.metric.location}",
                        metric.location,
                    )
                )
    return Catalogue(series), problems
