"""The metrics catalogue: the `Metric` declarations of `rules_src/`, looked up by the series names queries use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from compiler.dsl.metrics import Metric, SeriesShape
from compiler.problems import Problem

TARGET_LABELS = frozenset({"job", "instance"})
"""Labels Prometheus adds to every scraped series, so no declaration lists them."""
PROMETHEUS_SERIES = frozenset({"up", "ALERTS", "ALERTS_FOR_STATE"})
"""Series Prometheus writes itself, with the `scrape_*` ones: no exporter exposes them to declare."""


@dataclass(frozen=True)
class Catalogue:
    """Every declared series by name; empty when the repository declares no metrics (then lint guesses)."""

    series: dict[str, SeriesShape] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.series)

    def get(self, name: str) -> SeriesShape | None:
        return self.series.get(name)

    def series_labels(self, name: str) -> frozenset[str] | None:
        """The labels a declared series carries once scraped, the target's included; None when not declared."""
        shape = self.series.get(name)
        return shape.labels | TARGET_LABELS if shape is not None else None

    def declares(self, name: str) -> bool:
        """Whether a raw metric name is accounted for: declared (a histogram's base name counts, as its native
        form), or a series Prometheus writes itself. Recording rules (names with `:`) are not raw metrics."""
        return (
            ":" in name
            or name in PROMETHEUS_SERIES
            or name.startswith("scrape_")
            or name in self.series
            or f"{name}_bucket" in self.series
        )


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
