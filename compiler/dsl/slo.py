"""Service level objectives: an SLI, an objective over a period, and how to alert when the budget burns.

An `SLO` compiles (see `compiler.slo`) into Sloth-compatible recording rules and multi-window, multi-burn-rate
alerts, so community SLO dashboards work unchanged. Queries are written once, with a `{{window}}` placeholder
where the range goes; the generator fills in every window the alerts need.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from compiler.dsl.definition import Definition
from compiler.dsl.durations import Duration
from compiler.dsl.location import caller_location
from compiler.dsl.syntax import check_label_name, check_metric_name, check_template, normalize_expr, parse_expr
from compiler.problems import DefinitionError, Problem, SourceLocation
from compiler.slo.numbers import format_number
from compiler.slo.queries import CHECK_WINDOW, format_le, has_window, parenthesize, ratio, render_window
from compiler.slo.windows import burn_rate_conditions, check_period

DurationInput = str | timedelta

SLO_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?")
RESERVED_LABEL_PREFIX = "sloth_"


# --- SLIs ---------------------------------------------------------------------------------------------------------


def check_window_query(query: str) -> str:
    """A query with a `{{window}}` placeholder that is valid PromQL once a window is filled in."""
    query = normalize_expr(query)
    if not has_window(query):
        raise ValueError("no {{window}} placeholder: write the range as [{{window}}], e.g. rate(x_total[{{window}}])")
    parse_expr(render_window(query, CHECK_WINDOW))
    return query


class RatioSLI(Definition):
    """Bad events over all events: `errors` and `total` are instant-vector queries using `{{window}}`."""

    kind: ClassVar[str] = "ratio SLI"

    errors: str
    total: str

    def __init__(self, *, errors: str, total: str, location: SourceLocation | None = None) -> None:
        super().__init__(errors=errors, total=total, location=location)

    @field_validator("errors", "total")
    @classmethod
    def _valid_query(cls, query: str) -> str:
        return check_window_query(query)

    @model_validator(mode="after")
    def _distinct_queries(self) -> RatioSLI:
        if "".join(self.errors.split()) == "".join(self.total.split()):
            raise ValueError("errors and total are the same query: the error ratio would always be 1")
        return self

    def error_ratio_query(self, window: str) -> str:
        return ratio(render_window(self.errors, window), render_window(self.total, window))


class LatencySLI(Definition):
    """Requests slower than `threshold` seconds over all requests, from a classic histogram:
    `<metric>_count - <metric>_bucket{le="<threshold>"}` over `<metric>_count`."""

    kind: ClassVar[str] = "latency SLI"

    metric: str
    selector: str = ""
    threshold: float = Field(gt=0, allow_inf_nan=False)
    buckets: tuple[float, ...] | None = None

    def __init__(
        self,
        *,
        metric: str,
        threshold: float,
        selector: str = "",
        buckets: Sequence[float] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        super().__init__(metric=metric, selector=selector, threshold=threshold, buckets=buckets, location=location)

    @field_validator("metric")
    @classmethod
    def _valid_metric(cls, metric: str) -> str:
        check_metric_name(metric)
        for suffix in ("_bucket", "_count", "_sum"):
            if metric.endswith(suffix):
                raise ValueError(
                    f"give the histogram's name without {suffix!r}, i.e. {metric.removesuffix(suffix)!r}: "
                    "its _bucket and _count series are read"
                )
        return metric

    @field_validator("selector")
    @classmethod
    def _valid_selector(cls, selector: str) -> str:
        selector = " ".join(selector.split()).strip("{} ")
        if has_window(selector):
            raise ValueError("a selector takes no {{window}} placeholder: the generator adds the ranges")
        try:
            parse_expr(f"up{{{selector}}}")
        except ValueError as error:
            reason = str(error).removeprefix("invalid PromQL: ")
            raise ValueError(f"invalid label matchers {selector!r}: {reason}; write them as in 'job=\"api\"'") from None
        if re.search(r"(?<![A-Za-z0-9_])le\s*[=!]", selector):
            raise ValueError("do not match on 'le': the threshold selects the bucket")
        return selector

    @model_validator(mode="after")
    def _threshold_is_a_bucket(self) -> LatencySLI:
        if self.buckets is not None and self.threshold not in self.buckets:
            declared = ", ".join(format_le(bound) for bound in self.buckets)
            raise ValueError(
                f"threshold {format_le(self.threshold)} is not one of the buckets ({declared}): "
                f'there is no {self.metric}_bucket{{le="{format_le(self.threshold)}"}} series to count'
            )
        return self

    @property
    def errors(self) -> str:
        """Requests slower than the threshold: all of them minus those in the threshold's bucket."""
        matchers = f"{self.selector}," if self.selector else ""
        slow_enough = f'{self.metric}_bucket{{{matchers}le="{format_le(self.threshold)}"}}'
        return f"{self.total}\n-\nsum(rate({slow_enough}[{{{{window}}}}]))"

    @property
    def total(self) -> str:
        """All requests: the histogram's count."""
        selector = f"{{{self.selector}}}" if self.selector else ""
        return f"sum(rate({self.metric}_count{selector}[{{{{window}}}}]))"

    def error_ratio_query(self, window: str) -> str:
        return ratio(render_window(self.errors, window), render_window(self.total, window))


class ErrorRatioSLI(Definition):
    """An error ratio (between 0 and 1) written as one query using `{{window}}`."""

    kind: ClassVar[str] = "error-ratio SLI"

    query: str

    def __init__(self, *, query: str, location: SourceLocation | None = None) -> None:
        super().__init__(query=query, location=location)

    @field_validator("query")
    @classmethod
    def _valid_query(cls, query: str) -> str:
        return check_window_query(query)

    def error_ratio_query(self, window: str) -> str:
        return parenthesize(render_window(self.query, window))


SLI = RatioSLI | LatencySLI | ErrorRatioSLI
_SLI_KINDS = (RatioSLI, LatencySLI, ErrorRatioSLI)


# --- alerting -----------------------------------------------------------------------------------------------------


def check_slo_labels(labels: dict[str, str]) -> dict[str, str]:
    for name in labels:
        check_label_name(name)
        if name.startswith(RESERVED_LABEL_PREFIX):
            raise ValueError(f"label {name!r}: labels starting with {RESERVED_LABEL_PREFIX!r} are set by the generator")
    return dict(sorted(labels.items()))


def check_annotations(annotations: dict[str, str]) -> dict[str, str]:
    for name, text in annotations.items():
        check_label_name(name)
        try:
            check_template(text)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return dict(sorted(annotations.items()))


def fold_keywords(data: dict[str, Any], target: str, keywords: tuple[str, ...]) -> dict[str, Any]:
    """Move keyword arguments such as `severity=` into the `target` dictionary, refusing contradictions."""
    data = dict(data)
    merged = dict(data.get(target) or {})
    for keyword in keywords:
        value = data.pop(keyword, None)
        if value is None:
            continue
        if keyword in merged and merged[keyword] != value:
            raise ValueError(f"{keyword}={value!r} contradicts {target}[{keyword!r}]={merged[keyword]!r}; give it once")
        merged[keyword] = value
    data[target] = merged
    return data


class Tier(Definition):
    """The page or the ticket alert of an SLO: its own labels (`severity=` among them), annotations, `for_`,
    or `enabled=False` to leave it out."""

    kind: ClassVar[str] = "alert tier"

    enabled: bool = True
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    for_: Duration | None = None

    def __init__(
        self,
        *,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        for_: DurationInput | None = None,
        severity: str | None = None,
        enabled: bool = True,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "labels": labels or {},
            "annotations": annotations or {},
            "for_": for_,
            "severity": severity,
            "enabled": enabled,
            "location": location,
        }
        super().__init__(**arguments)

    @model_validator(mode="before")
    @classmethod
    def _fold_severity(cls, data: dict[str, Any]) -> dict[str, Any]:
        return fold_keywords(data, "labels", ("severity",))

    @field_validator("labels")
    @classmethod
    def _valid_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        return check_slo_labels(labels)

    @field_validator("annotations")
    @classmethod
    def _valid_annotations(cls, annotations: dict[str, str]) -> dict[str, str]:
        return check_annotations(annotations)


class Alerting(Definition):
    """The burn-rate alerts of an SLO: one alert name for both tiers, labels and annotations they share
    (`summary=`, `description=` and `runbook_url=` among them), and the `page` and `ticket` tiers."""

    kind: ClassVar[str] = "alerting"

    name: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    page: Tier
    ticket: Tier

    def __init__(
        self,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        page: Tier | None = None,
        ticket: Tier | None = None,
        summary: str | None = None,
        description: str | None = None,
        runbook_url: str | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "name": name,
            "labels": labels or {},
            "annotations": annotations or {},
            "page": page,
            "ticket": ticket,
            "summary": summary,
            "description": description,
            "runbook_url": runbook_url,
            "location": location,
        }
        super().__init__(**arguments)

    @model_validator(mode="before")
    @classmethod
    def _fold_annotations(cls, data: dict[str, Any]) -> dict[str, Any]:
        data = fold_keywords(data, "annotations", ("summary", "description", "runbook_url"))
        location = data.get("location")
        for tier in ("page", "ticket"):
            if data.get(tier) is None:
                data[tier] = Tier(location=location)
        return data

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str | None) -> str | None:
        return None if name is None else check_metric_name(name)

    @field_validator("labels")
    @classmethod
    def _valid_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        return check_slo_labels(labels)

    @field_validator("annotations")
    @classmethod
    def _valid_annotations(cls, annotations: dict[str, str]) -> dict[str, str]:
        return check_annotations(annotations)

    @field_validator("page", "ticket", mode="before")
    @classmethod
    def _is_tier(cls, tier: object) -> object:
        if not isinstance(tier, Tier):
            raise ValueError(f"expected Tier(...), got {type(tier).__name__}")
        return tier

    @model_validator(mode="after")
    def _named_when_enabled(self) -> Alerting:
        if self.name is None and (self.page.enabled or self.ticket.enabled):
            raise ValueError("name is required when the page or the ticket alert is enabled")
        return self

    @property
    def enabled(self) -> bool:
        return self.page.enabled or self.ticket.enabled


# --- the SLO ------------------------------------------------------------------------------------------------------


class SLO(Definition):
    """A service level objective: `objective` percent of the events `sli` counts are good over `period`.

    `slo_id` (`<service>-<name>`) identifies it in every generated rule, as Sloth's `sloth_id` does.
    Without `alerting`, only the recording rules are generated.
    """

    kind: ClassVar[str] = "slo"

    service: str
    name: str
    objective: float
    period: Duration = timedelta(days=30)
    sli: SLI
    alerting: Alerting | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    description: str | None = None

    def __init__(
        self,
        *,
        service: str,
        name: str,
        sli: SLI,
        objective: float = 99.9,
        period: DurationInput = "30d",
        alerting: Alerting | None = None,
        labels: Mapping[str, str] | None = None,
        description: str | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        try:
            super().__init__(
                service=service,
                name=name,
                objective=objective,
                period=period,
                sli=sli,
                alerting=alerting,
                labels=labels or {},
                description=description,
                location=location or caller_location(),
            )
        except DefinitionError as error:
            raise _named_by_id(error, service, name) from None

    @field_validator("service", "name")
    @classmethod
    def _valid_identifier(cls, value: str) -> str:
        if not SLO_NAME.fullmatch(value):
            raise ValueError(
                f"invalid value {value!r}: use letters, digits, '-', '_' and '.', starting and ending with "
                "a letter or digit"
            )
        return value

    @field_validator("objective", mode="before")
    @classmethod
    def _percentage(cls, objective: object) -> object:
        if isinstance(objective, bool) or not isinstance(objective, int | float) or not 0 < objective < 100:
            raise ValueError(f"{objective!r} is not a percentage between 0 and 100 (exclusive), such as 99.9")
        return objective

    @field_validator("period")
    @classmethod
    def _derivable_period(cls, period: timedelta) -> timedelta:
        return check_period(period)

    @field_validator("sli", mode="before")
    @classmethod
    def _is_sli(cls, sli: object) -> object:
        if not isinstance(sli, _SLI_KINDS):
            raise ValueError(f"expected RatioSLI(...), LatencySLI(...) or ErrorRatioSLI(...), got {type(sli).__name__}")
        return sli

    @field_validator("alerting", mode="before")
    @classmethod
    def _is_alerting(cls, alerting: object) -> object:
        if alerting is not None and not isinstance(alerting, Alerting):
            raise ValueError(f"expected Alerting(...), got {type(alerting).__name__}")
        return alerting

    @field_validator("labels")
    @classmethod
    def _valid_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        return check_slo_labels(labels)

    @model_validator(mode="after")
    def _alerts_can_fire(self) -> SLO:
        """An alert whose every threshold is an error ratio above 1 can never fire: say so instead of generating it."""
        if self.alerting is None:
            return self
        budget = 1 - Decimal(repr(self.objective)) / 100
        tiers = {"page": self.alerting.page, "ticket": self.alerting.ticket}
        for severity, tier in tiers.items():
            factors = [c.factor for c in burn_rate_conditions(self.period) if c.severity.value == severity]
            if tier.enabled and min(factors) * Fraction(budget) >= 1:
                listed = ", ".join(format_number(factor) for factor in factors)
                raise ValueError(
                    f"the {severity} alert could never fire: its burn-rate thresholds ({listed}) times the error "
                    f"budget {format_number(budget)} all exceed an error ratio of 1; shorten the period, raise the "
                    f"objective, or disable the tier with {severity}=Tier(enabled=False)"
                )
        return self

    @property
    def slo_id(self) -> str:
        """`<service>-<name>`, Sloth's `sloth_id`: unique across the repository."""
        return f"{self.service}-{self.name}"

    @property
    def title(self) -> str:
        return f"{self.kind} {self.slo_id}"


def _named_by_id(error: DefinitionError, service: object, name: object) -> DefinitionError:
    """Errors name an SLO by its id (`slo api-availability`), since names repeat across services."""
    if not isinstance(service, str) or not isinstance(name, str):
        return error
    generic, specific = f"{SLO.kind} {name}: ", f"{SLO.kind} {service}-{name}: "
    return DefinitionError(
        Problem(specific + problem.message.removeprefix(generic), problem.location)
        if problem.message.startswith(generic)
        else problem
        for problem in error.problems
    )
