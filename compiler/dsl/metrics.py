"""`Metric`: a raw metric a service or exporter exposes, declared once so lint and build can check its use."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import field_validator, model_validator

from compiler.dsl.definition import Definition
from compiler.dsl.syntax import check_label_name, check_metric_name
from compiler.problems import SourceLocation

MetricType = Literal["counter", "gauge", "histogram", "summary"]


@dataclass(frozen=True)
class SeriesShape:
    """One series name a metric exposes: the labels it carries and whether it only goes up."""

    metric: Metric
    labels: frozenset[str]
    counter: bool


class Metric(Definition):
    """A raw metric as its exporter exposes it. A counter is named as queried (`http_requests_total`);
    a histogram or summary by its base name (`http_request_duration_seconds`), its series following from it.
    `labels` are the labels the exporter sets on every series; the target labels Prometheus adds (`job`,
    `instance`, and `[tool.moncc.lint] target_labels`) are implied. A histogram's `buckets` are its finite upper
    bounds in ascending order, as its exporter configures them (the `+Inf` bucket is implied).

    Example:
        ```python
        from compiler.dsl import Metric

        requests = Metric("http_requests_total", type="counter", labels=["method", "route", "code"], help="Requests.")
        latency = Metric(
            "http_request_duration_seconds",
            type="histogram",
            labels=["method", "route"],
            unit="seconds",
            buckets=[0.005, 0.05, 0.25, 1, 5],
        )
        ```
    """

    kind: ClassVar[str] = "metric"

    name: str
    type: MetricType
    labels: tuple[str, ...] = ()
    help: str = ""
    unit: str | None = None
    buckets: tuple[float, ...] | None = None

    def __init__(
        self,
        name: str,
        /,
        *,
        type: MetricType,
        labels: Sequence[str] = (),
        help: str = "",
        unit: str | None = None,
        buckets: Sequence[float] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(
            name=name,
            type=type,
            labels=tuple(labels),
            help=help,
            unit=unit,
            buckets=None if buckets is None else tuple(buckets),
            location=location,
        )

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        check_metric_name(name)
        if ":" in name:
            raise ValueError(f"{name!r} has a ':', which is reserved for recording rules")
        return name

    @field_validator("labels")
    @classmethod
    def _valid_labels(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        for label in labels:
            check_label_name(label)
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            raise ValueError(f"labels listed twice: {', '.join(duplicates)}")
        return labels

    @field_validator("buckets")
    @classmethod
    def _valid_buckets(cls, buckets: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if buckets is None:
            return None
        if not buckets:
            raise ValueError("name at least one upper bound (the +Inf bucket is implied), or leave buckets out")
        infinite = [bound for bound in buckets if not math.isfinite(bound)]
        if infinite:
            raise ValueError(f"{infinite[0]} is not a finite upper bound (the +Inf bucket is implied)")
        for lower, upper in itertools.pairwise(buckets):
            if upper <= lower:
                raise ValueError(f"upper bounds must ascend: {upper:g} follows {lower:g}")
        return buckets

    @model_validator(mode="after")
    def _buckets_of_a_histogram(self) -> Metric:
        if self.buckets is not None and self.type != "histogram":
            raise ValueError(f"buckets: only a histogram has buckets, not a {self.type}")
        return self

    def series(self) -> dict[str, SeriesShape]:
        """Every series name this metric exposes, as Prometheus client libraries write them."""
        own = frozenset(self.labels)
        if self.type == "histogram":
            return {
                f"{self.name}_bucket": SeriesShape(self, own | {"le"}, counter=True),
                f"{self.name}_sum": SeriesShape(self, own, counter=True),
                f"{self.name}_count": SeriesShape(self, own, counter=True),
            }
        if self.type == "summary":
            return {
                self.name: SeriesShape(self, own | {"quantile"}, counter=False),
                f"{self.name}_sum": SeriesShape(self, own, counter=True),
                f"{self.name}_count": SeriesShape(self, own, counter=True),
            }
        return {self.name: SeriesShape(self, own, counter=self.type == "counter")}
