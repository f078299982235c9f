"""The metrics catalogue: the `Metric` declarations of `rules_src/`, looked up by the series names queries use,
and what lint adds to them: the labels scraping adds to every series and those of the recorded series."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import promql_parser

from compiler.dsl.metrics import Metric, SeriesShape
from compiler.problems import Problem, SourceLocation
from compiler.promql.label_sets import LabelSet
from compiler.promql.labels import Labelled, label_tree

TARGET_LABELS = frozenset({"job", "instance"})
"""Labels Prometheus adds to every scraped series, so no declaration lists them."""
PROMETHEUS_SERIES = frozenset({"up", "ALERTS", "ALERTS_FOR_STATE"})
"""Series Prometheus writes itself, with the `scrape_*` ones: no exporter exposes them to declare."""


@dataclass(frozen=True)
class RecordedSeries:
    """What one recording rule records: its name, the expression it evaluates and the rule's own labels."""

    name: str
    expr: promql_parser.Expr
    labels: Mapping[str, str]
    location: SourceLocation


@dataclass(frozen=True)
class Catalogue:
    """Every declared series by name; empty when the repository declares no metrics (then lint guesses).

    Lint adds `target_labels` (those every scrape adds: `job`, `instance` and the setting's) and `records`
    (the recording rules by the name they record), so a query's labels are known through the series it reads.
    """

    series: dict[str, SeriesShape] = field(default_factory=dict)
    target_labels: frozenset[str] = TARGET_LABELS
    records: Mapping[str, tuple[RecordedSeries, ...]] = field(default_factory=dict)
    _inferred: dict[str, tuple[LabelSet | None, frozenset[str] | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _trees: dict[int, tuple[promql_parser.Expr, Labelled]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __bool__(self) -> bool:
        return bool(self.series)

    def get(self, name: str) -> SeriesShape | None:
        return self.series.get(name)

    def with_rules(self, records: Iterable[RecordedSeries], target_labels: Iterable[str] = ()) -> Catalogue:
        """The catalogue with these recording rules and these target labels besides `job` and `instance`."""
        by_name: dict[str, tuple[RecordedSeries, ...]] = {}
        for record in records:
            by_name[record.name] = (*by_name.get(record.name, ()), record)
        return Catalogue(self.series, TARGET_LABELS | frozenset(target_labels), by_name)

    def series_labels(self, name: str) -> frozenset[str] | None:
        """The labels a declared series carries once scraped, the target's included; None when not declared."""
        shape = self.series.get(name)
        return shape.labels | self.target_labels if shape is not None else None

    def labels_of(self, name: str) -> LabelSet | None:
        """The labels a series of that name carries, or None when that is not known.

        A declared metric's series carry its labels and the target labels, every one on every series; a series
        Prometheus writes for each target (`up`, `scrape_*`) the target labels, once the repository keeps a
        catalogue; a recorded series what its rules' expressions leave and the rules' own labels.
        """
        return self._inferred_labels(name)[0]

    def read_of(self, name: str) -> frozenset[str] | None:
        """Every label the series of that name can carry, or for a recorded series every label the series its
        rules read can carry (what a recording rule removed is not a typo); None when that is not known."""
        return self._inferred_labels(name)[1]

    def _inferred_labels(self, name: str) -> tuple[LabelSet | None, frozenset[str] | None]:
        found = self._inferred.get(name)
        if found is not None:
            return found
        self._inferred[name] = (None, None)
        labels = self._declared(name)
        read = labels.known if labels is not None else frozenset()
        for record in self.records.get(name, ()):
            recorded, recorded_read = _recorded_labels(record, self)
            labels = recorded if labels is None else labels.union(recorded)
            read = None if read is None or recorded_read is None else read | recorded_read
        found = (labels, read if labels is not None else None)
        self._inferred[name] = found
        return found

    def labelled(self, expr: promql_parser.Expr) -> Labelled:
        """The expression's syntax tree with the labels of each node (`label_tree`) over this catalogue, made
        once per expression: a recording rule's is read for its series and again when lint checks the rule."""
        found = self._trees.get(id(expr))
        if found is None or found[0] is not expr:
            found = (expr, label_tree(expr, self))
            self._trees[id(expr)] = found
        return found[1]

    def _declared(self, name: str) -> LabelSet | None:
        shape = self.series.get(name)
        if shape is not None:
            labels = shape.labels | self.target_labels
            return LabelSet(labels, frozenset(), labels)
        if self.series and (name == "up" or name.startswith("scrape_")):
            return LabelSet(self.target_labels, frozenset(), self.target_labels)
        return None

    def buckets(self, name: str) -> tuple[float, ...] | None:
        """The declared upper bounds of a histogram, by its base name or its `_bucket` series; None when the
        name is no histogram or its buckets are not declared."""
        shape = self.series.get(name if name.endswith("_bucket") else f"{name}_bucket")
        if shape is None or shape.metric.type != "histogram":
            return None
        return shape.metric.buckets

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


def _recorded_labels(record: RecordedSeries, catalogue: Catalogue) -> tuple[LabelSet, frozenset[str] | None]:
    """The labels of a recording rule's output, its expression's with the rule's own set over them (an empty
    value removes one), and every label the series it reads can carry. A rule reading its own output sees it
    as not known."""
    tree = catalogue.labelled(record.expr)
    labels = tree.labels
    for name, value in record.labels.items():
        labels = labels.valued(name, frozenset({value})) if value else labels.without(frozenset({name}))
    read = tree.read | frozenset(record.labels) if tree.read is not None else None
    return labels, read


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
