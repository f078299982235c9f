"""Service level objectives: an SLI, an objective over a period, and how to alert when the budget burns.

An `SLO` compiles (see `compiler.slo`) into Sloth-compatible recording rules and multi-window, multi-burn-rate
alerts, so community SLO dashboards work unchanged. Queries are written once, with a `{{window}}` placeholder
where the range goes; the generator fills in every window the alerts need.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from compiler.dsl.definition import Definition, fold_keywords
from compiler.dsl.durations import Duration, format_duration
from compiler.dsl.location import caller_location
from compiler.dsl.messages import subject
from compiler.dsl.numbers import format_number
from compiler.dsl.series import Series
from compiler.dsl.sli import SLI, SLI_KINDS, ErrorRatioSLI, LatencySLI, RatioSLI
from compiler.dsl.sli_queries import CHECK_WINDOW
from compiler.dsl.sli_traffic import Traffic, UnsupportedTraffic
from compiler.dsl.slo_annotations import unpredictable_annotation
from compiler.dsl.slo_windows import (
    SHORTEST_WINDOW,
    BudgetWindow,
    BurnRateCondition,
    Severity,
    burn_rate_conditions,
    burn_rate_factor,
    check_period,
    sli_windows,
)
from compiler.dsl.syntax import check_label_name, check_metric_name, check_templated_map
from compiler.problems import DefinitionError, Problem, SourceLocation

DurationInput = str | timedelta

__all__ = ["SLI", "SLO", "Alerting", "ErrorRatioSLI", "LatencySLI", "RatioSLI", "Series", "Tier", "Window"]

SLO_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?")
RESERVED_LABEL_PREFIX = "sloth_"
_SECOND = timedelta(seconds=1)


# --- alerting -----------------------------------------------------------------------------------------------------


def check_slo_labels(labels: dict[str, str]) -> dict[str, str]:
    for name in labels:
        check_label_name(name)
        if name.startswith(RESERVED_LABEL_PREFIX):
            raise ValueError(f"label {name!r}: labels starting with {RESERVED_LABEL_PREFIX!r} are set by the generator")
    return dict(sorted(labels.items()))


def _exact(number: float) -> Fraction:
    """A number as written: 14.4 is 72/5, not the float nearest to it."""
    return Fraction(Decimal(repr(number)))


class Window(Definition):
    """One condition of a tier's alert: the error ratio over both `long` and `short` above a burn-rate factor
    times the error budget. Give the factor as `budget_percent` (the share of the period's budget spent within
    `long`, as the SRE workbook does: the factor then follows from the period) or directly as `factor`.

    `short` must be shorter than `long`, and at least 5m; `long` shorter than the SLO's period, and a `factor`
    no larger than the period over `long` (a larger one would fire only after the whole budget is spent).

    Example:
        ```python
        from compiler.dsl import Tier, Window

        page = Tier(
            severity="critical",
            windows=[
                Window(short="5m", long="1h", budget_percent=2),
                Window(short="30m", long="6h", factor=6),
            ],
        )
        ```
    """

    kind: ClassVar[str] = "alert window"

    short: Duration
    long: Duration
    budget_percent: float | None = None
    factor: float | None = None

    def __init__(
        self,
        *,
        short: DurationInput,
        long: DurationInput,
        budget_percent: float | None = None,
        factor: float | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "short": short,
            "long": long,
            "budget_percent": budget_percent,
            "factor": factor,
            "location": location,
        }
        super().__init__(**arguments)

    @field_validator("budget_percent", mode="before")
    @classmethod
    def _percentage(cls, percent: object) -> object:
        if percent is not None and (
            isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 < percent <= 100
        ):
            raise ValueError(f"{percent!r} is not a percentage of the error budget above 0 and at most 100")
        return percent

    @field_validator("factor", mode="before")
    @classmethod
    def _positive(cls, factor: object) -> object:
        if factor is not None and (isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0):
            raise ValueError(f"{factor!r} is not a burn-rate factor above 0, such as 14.4")
        return factor

    @model_validator(mode="after")
    def _consistent(self) -> Window:
        if (self.budget_percent is None) == (self.factor is None):
            raise ValueError("give either budget_percent= (the share of the budget spent within long) or factor=")
        short, long = format_duration(self.short), format_duration(self.long)
        if self.short < SHORTEST_WINDOW:
            raise ValueError(
                f"short window {short} is shorter than {format_duration(SHORTEST_WINDOW)}: rate() over it holds "
                "too few samples to be trusted"
            )
        if self.short >= self.long:
            raise ValueError(f"short window {short} must be shorter than long window {long}")
        return self

    @property
    def title(self) -> str:
        return f"window {format_duration(self.short)}/{format_duration(self.long)}"

    def condition(self, severity: Severity, period: timedelta) -> BurnRateCondition:
        """The window applied to a period: its factor, derived from `budget_percent` when that is given."""
        if self.factor is not None:
            factor = _exact(self.factor)
        else:
            assert self.budget_percent is not None
            budget = BudgetWindow(severity, _exact(self.budget_percent), self.short, self.long)
            factor = burn_rate_factor(period, budget)
        return BurnRateCondition(severity, self.short, self.long, factor)


class Tier(Definition):
    """The page or the ticket alert of an SLO: its own labels (`severity=` among them), annotations, `for_`,
    its own `windows`, or `enabled=False` to leave it out.

    The page tier fires on the fast windows (2% of a 30-day budget spent within 1 h, or 5% within 6 h), the
    ticket tier on the slow ones (10% within 1 d or 3 d); `windows=[Window(...), ...]` replaces a tier's.
    A tier's alert carries `sloth_severity="page"` or `"ticket"`, a stable label an Alertmanager inhibit rule
    can match (mute the ticket while the page fires), then `Alerting`'s labels, then the tier's own:
    `severity=` is what routes it.

    Example:
        ```python
        from compiler.dsl import Tier, Window

        page = Tier(severity="critical", annotations={"summary": "the API burns its error budget: page"})
        ticket = Tier(severity="warning", for_="15m")
        no_page = Tier(enabled=False)
        slow_ticket = Tier(severity="warning", windows=[Window(short="6h", long="3d", budget_percent=10)])
        ```
    """

    kind: ClassVar[str] = "alert tier"

    enabled: bool = True
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    for_: Duration | None = None
    windows: tuple[Window, ...] | None = None

    def __init__(
        self,
        *,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        for_: DurationInput | None = None,
        severity: str | None = None,
        enabled: bool = True,
        windows: Sequence[Window] | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        arguments: dict[str, object] = {
            "labels": labels or {},
            "annotations": annotations or {},
            "for_": for_,
            "severity": severity,
            "enabled": enabled,
            "windows": windows,
            "location": location,
        }
        super().__init__(**arguments)

    @field_validator("windows", mode="before")
    @classmethod
    def _are_windows(cls, windows: object) -> object:
        if windows is None:
            return None
        if isinstance(windows, Window) or not isinstance(windows, Sequence) or not windows:
            raise ValueError("expected a non-empty list of Window(...)")
        for window in windows:
            if not isinstance(window, Window):
                raise ValueError(f"expected Window(...), got {type(window).__name__}")
        pairs = [(window.short, window.long) for window in windows]
        for index, pair in enumerate(pairs):
            if pair in pairs[:index]:
                raise ValueError(f"{windows[index].title} is given twice")
        return tuple(windows)

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
        return check_templated_map(annotations)


class Alerting(Definition):
    """The burn-rate alerts of an SLO: one alert name for both tiers, labels and annotations they share
    (`summary=`, `description=` and `runbook_url=` among them), and the `page` and `ticket` tiers.

    A tier left out is `Tier()`: enabled, with no labels of its own. `name` may be left out only when both
    tiers are disabled. Annotations are checked as the generated tests must predict them.

    Example:
        ```python
        from compiler.dsl import Alerting, Tier

        alerting = Alerting(
            name="ApiAvailabilityBudgetBurn",
            labels={"team": "api"},
            description="The HTTP API fails requests faster than the objective allows.",
            runbook_url="https://runbooks.example.com/ApiAvailabilityBudgetBurn",
            page=Tier(severity="critical"),
            ticket=Tier(severity="warning"),
        )
        ```
    """

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
        return check_templated_map(annotations)

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
    Without `alerting`, only the recording rules are generated. Tests of the alerts are generated with traffic
    synthesized from the SLI; `test_traffic` replaces it for SLIs of other shapes (ratio → input series).

    `objective` is a percentage (default 99.9); `period` a whole number of days longer than 3 days (default
    `"30d"`; `"28d"` for four-week reporting). `labels` go on every generated rule. The rules go into the rule
    file of the module that keeps the SLO, in three groups: `sloth-slo-sli-recordings-<slo_id>`,
    `sloth-slo-meta-recordings-<slo_id>` and `sloth-slo-alerts-<slo_id>`.

    `min_events` keeps low traffic from alerting: every window a burn-rate condition reads must have counted at
    least that many events (the SLI's `total`, recorded as `slo:sli_total:rate<window>`), so three failures in
    five requests page nobody. It needs `alerting` and a `RatioSLI`, `LatencySLI` or `NativeLatencySLI`
    (not an `ErrorRatioSLI`, whose one ratio query counts no events).

    Example:
        ```python
        from compiler.dsl import SLO, Alerting, RatioSLI, Tier

        api_availability = SLO(
            service="api",
            name="availability",
            objective=99.9,
            period="30d",
            labels={"team": "api"},
            sli=RatioSLI(
                errors='sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
                total='sum(rate(http_requests_total{job="api"}[{{window}}]))',
            ),
            min_events=100,
            alerting=Alerting(
                name="ApiAvailabilityBudgetBurn",
                runbook_url="https://runbooks.example.com/slo",
                page=Tier(severity="critical"),
                ticket=Tier(severity="warning"),
            ),
        )
        ```

        An SLI the generator cannot plant traffic for gets `test_traffic`: the input series for an error
        ratio.

        ```python
        from compiler.dsl import SLO, Alerting, ErrorRatioSLI, Series, counter

        def jobs_failing(ratio: float) -> list[Series]:
            return [counter('jobs_failed_total{queue="mail"}', 1000 * ratio), counter('jobs_total{queue="mail"}', 1000)]

        mail_jobs = SLO(
            service="mail",
            name="jobs",
            objective=99,
            sli=ErrorRatioSLI(query="max(rate(jobs_failed_total[{{window}}]) / rate(jobs_total[{{window}}]))"),
            alerting=Alerting(name="MailJobsBudgetBurn"),
            test_traffic=jobs_failing,
        )
        ```
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
    test_traffic: Callable[[float], Sequence[Series]] | None = Field(default=None, repr=False)
    min_events: int | None = None

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
        test_traffic: Callable[[float], Sequence[Series]] | None = None,
        min_events: int | None = None,
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
                test_traffic=test_traffic,
                min_events=min_events,
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
        if not isinstance(sli, SLI_KINDS):
            raise ValueError(
                "expected RatioSLI(...), LatencySLI(...), NativeLatencySLI(...) or ErrorRatioSLI(...), "
                f"got {type(sli).__name__}"
            )
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

    @field_validator("min_events", mode="before")
    @classmethod
    def _event_count(cls, min_events: object) -> object:
        if min_events is not None and (
            isinstance(min_events, bool) or not isinstance(min_events, int) or min_events < 1
        ):
            raise ValueError(
                f"{min_events!r} is not a number of events: give a whole number of at least 1, such as 100"
            )
        return min_events

    @model_validator(mode="after")
    def _min_events_applies(self) -> SLO:
        """The floor is a clause of the burn-rate alerts, read from the SLI's count of events: it needs both."""
        if self.min_events is None:
            return self
        if self.alerting is None:
            raise ValueError("min_events: the floor applies to the burn-rate alerts; give alerting= too")
        if self.sli.events_query(CHECK_WINDOW) is None:
            article = "an" if self.sli.kind[0] in "aeiou" else "a"
            raise ValueError(
                f"min_events: the floor counts the events of a RatioSLI's total or a latency SLI's histogram "
                f"count, not of {article} {self.sli.kind}, whose one ratio query counts no events; write the SLI "
                "as RatioSLI(errors=..., total=...), LatencySLI(...) or NativeLatencySLI(...)"
            )
        if self.test_traffic is not None:
            raise ValueError(
                "min_events: the generated tests scale synthesized traffic around the floor, which test_traffic "
                "replaces; leave test_traffic out"
            )
        return self

    @model_validator(mode="after")
    def _windows_fit_the_period(self) -> SLO:
        """A tier's own windows must lie within the period, and a factor must be reachable before the budget is
        gone: `factor * long` at most the period."""
        for severity in Severity:
            tier = self.tier(severity)
            for window in (tier.windows or ()) if tier is not None else ():
                where = f"{severity.value} tier, {window.title}"
                if window.long >= self.period:
                    raise ValueError(
                        f"{where}: long window {format_duration(window.long)} must be shorter than the "
                        f"{format_duration(self.period)} period"
                    )
                condition = window.condition(severity, self.period)
                share = condition.factor * Fraction(window.long // _SECOND, self.period // _SECOND)
                if share > 1:
                    most = Fraction(self.period // _SECOND, window.long // _SECOND)
                    raise ValueError(
                        f"{where}: factor {format_number(condition.factor)} spends {float(share * 100):.3g}% of "
                        f"the {format_duration(self.period)} error budget within {format_duration(window.long)}, "
                        f"so the alert would fire only once the budget is gone: at most {format_number(most)} "
                        "fits the period"
                    )
        return self

    @model_validator(mode="after")
    def _alerts_can_fire(self) -> SLO:
        """An alert whose every threshold is an error ratio above 1 can never fire: say so instead of generating it."""
        if self.alerting is None:
            return self
        budget = 1 - Decimal(repr(self.objective)) / 100
        for severity in Severity:
            tier = self.tier(severity)
            assert tier is not None
            factors = [c.factor for c in self.burn_rate_conditions(severity)]
            if tier.enabled and min(factors) * Fraction(budget) >= 1:
                listed = ", ".join(format_number(factor) for factor in factors)
                raise ValueError(
                    f"the {severity} alert could never fire: its burn-rate thresholds ({listed}) times the error "
                    f"budget {format_number(budget)} all exceed an error ratio of 1; shorten the period, raise the "
                    f"objective, or disable the tier with {severity}=Tier(enabled=False)"
                )
        return self

    @model_validator(mode="after")
    def _alerts_can_be_tested(self) -> SLO:
        """The generated tests must be able to plant traffic and predict every annotation of an enabled tier."""
        if self.alerting is None or not self.alerting.enabled:
            return self
        try:
            if self.test_traffic is None:
                self.sli.traffic_plan()
        except UnsupportedTraffic as error:
            raise ValueError(
                f"sli: cannot synthesize test traffic for the generated alert tests: {error}; write the error "
                "ratio as errors / total, each a sum of rate(...) over selectors with a metric name, or give "
                "SLO(test_traffic=...): a function from an error ratio to the input series that produce it"
            ) from None
        for tier in (self.alerting.page, self.alerting.ticket):
            name = unpredictable_annotation({**self.alerting.annotations, **tier.annotations}) if tier.enabled else None
            if name is not None:
                raise ValueError(
                    f"alerting: annotation {name!r} uses templates the generated tests cannot predict: use "
                    "{{ $labels.x }} or {{ $value | humanizePercentage }} (a raw {{ $value }} prints the ratio's "
                    "last digits, which Prometheus 2 and 3 round differently)"
                )
        return self

    def planted_traffic(self) -> Traffic | None:
        """Input series for a planted error ratio: the author's `test_traffic`, else synthesized from the SLI;
        None when neither is possible (an SLO without alerts may have an SLI of any shape)."""
        custom = self.test_traffic
        if custom is not None:
            return lambda ratio: list(custom(float(ratio)))
        try:
            return self.sli.traffic_plan().series
        except UnsupportedTraffic:
            return None

    def tier(self, severity: Severity) -> Tier | None:
        """The page or the ticket tier; None without alerting."""
        if self.alerting is None:
            return None
        return self.alerting.page if severity is Severity.PAGE else self.alerting.ticket

    def burn_rate_conditions(self, severity: Severity) -> tuple[BurnRateCondition, ...]:
        """A tier's conditions: its own windows applied to the period, else the workbook's."""
        tier = self.tier(severity)
        if tier is not None and tier.windows:
            return tuple(window.condition(severity, self.period) for window in tier.windows)
        return tuple(condition for condition in burn_rate_conditions(self.period) if condition.severity is severity)

    def sli_windows(self) -> tuple[timedelta, ...]:
        """Every window an SLI record is written for, shortest first: the workbook's, the tiers' own, then the
        period."""
        tiers = [self.tier(severity) for severity in Severity]
        extra = tuple(
            duration
            for tier in tiers
            if tier is not None and tier.windows
            for window in tier.windows
            for duration in (window.short, window.long)
        )
        return sli_windows(self.period, extra)

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
    generic, specific = f"{subject(SLO.kind, name)}: ", f"{subject(SLO.kind, f'{service}-{name}')}: "
    return DefinitionError(
        Problem(specific + problem.message.removeprefix(generic), problem.location)
        if problem.message.startswith(generic)
        else problem
        for problem in error.problems
    )
