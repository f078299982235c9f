"""A panel's queries (`targets`), typed by the datasource that runs them: Prometheus, Loki, Tempo, Jaeger,
Alertmanager; any other datasource's query is kept open, as given.

A target names its datasource, or inherits the panel's; with neither, Grafana runs it on the default
datasource, which for moncc is Prometheus. `Panel` tells `target_kind` the panel's datasource type while its
targets are validated (`targets_of_panel`), so the choice costs one function call per target.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from compiler.grafana.common import DataSourceRef, Number
from compiler.grafana.objects import GrafanaObject, OpenObject, SupersededFieldsObject

QueryEditorMode = Literal["builder", "code"]


class QueryFields(GrafanaObject):
    """What every datasource's query has (Grafana's `DataQuery`)."""

    ref_id: str | None = None
    hide: bool | None = False
    query_type: str | None = None
    datasource: DataSourceRef | None = None


class AdhocFilter(GrafanaObject):
    """A label filter applied to a query from an ad hoc filters variable."""

    key: str
    operator: str
    value: str
    values: list[str] | None = None


class PrometheusQuery(QueryFields, SupersededFieldsObject):
    """A PromQL query: over the time range, at its end (`instant`), or both."""

    WRITTEN = frozenset({"expr"})
    IGNORED = frozenset({"step", "metric"})
    """`step` and `metric`: fields of the AngularJS query editor that Grafana's Prometheus query no longer has."""

    expr: str = ""
    legend_format: str | None = ""
    instant: bool | None = None
    range: bool | None = None
    """Left unset with `instant`: Grafana reads the pair (neither set is a range query), and the build writes
    both as it reads them."""
    format: Literal["time_series", "table", "heatmap"] | None = None
    interval: str | None = ""
    """The minimum step, a duration or a `$variable`."""
    interval_factor: int | None = None
    interval_ms: Number | None = None
    exemplar: bool | None = False
    editor_mode: QueryEditorMode | None = None
    max_data_points: int | None = None
    adhoc_filters: list[AdhocFilter] | None = None
    group_by_keys: list[str] | None = None
    result_assertions: dict[str, Any] | None = None
    scopes: list[dict[str, Any]] | None = None
    time_range: dict[str, str] | None = None


class LokiQuery(QueryFields):
    """A LogQL query: log lines (`maxLines`) or a metric query over them."""

    WRITTEN = frozenset({"expr"})

    expr: str = ""
    legend_format: str | None = None
    max_lines: int | None = None
    resolution: int | None = None
    editor_mode: QueryEditorMode | None = None
    range: bool | None = None
    instant: bool | None = None
    step: str | None = None
    direction: Literal["forward", "backward", "scan"] | None = None


class TraceqlFilter(GrafanaObject):
    """One condition of Tempo's search builder."""

    id: str
    tag: str | None = None
    operator: str | None = None
    value: str | list[str] | None = None
    value_type: str | None = None
    scope: Literal["intrinsic", "unscoped", "event", "instrumentation", "link", "resource", "span"] | None = None


class TempoQuery(QueryFields, OpenObject):
    """A TraceQL query or search; open, since Tempo's editor adds fields between releases."""

    WRITTEN = frozenset({"filters"})

    query: str | None = None
    query_type: str | None = None
    limit: int | None = None
    spss: int | None = None
    table_type: Literal["traces", "spans", "raw"] | None = None
    filters: list[TraceqlFilter] = Field(default_factory=list)
    group_by: list[TraceqlFilter] | None = None
    service_map_query: str | list[str] | None = None


class JaegerQuery(QueryFields, OpenObject):
    """A Jaeger trace lookup or search (Grafana publishes no schema for it: open)."""

    query: str | None = None
    service: str | None = None
    operation: str | None = None
    tags: str | None = None
    min_duration: str | None = None
    max_duration: str | None = None
    limit: int | None = None


class AlertmanagerQuery(QueryFields, OpenObject):
    """Alerts read from an Alertmanager datasource, filtered by matchers (open)."""

    expr: str | None = None
    receiver: str | None = None
    active: bool | None = None
    silenced: bool | None = None
    inhibited: bool | None = None


class OpenQuery(QueryFields, OpenObject):
    """A query of a datasource moncc does not model: kept as given."""


QUERY_MODELS: dict[str, type[QueryFields]] = {
    "prometheus": PrometheusQuery,
    "loki": LokiQuery,
    "tempo": TempoQuery,
    "jaeger": JaegerQuery,
    "alertmanager": AlertmanagerQuery,
    "camptocamp-prometheus-alertmanager-datasource": AlertmanagerQuery,
}
"""The query model of each datasource type (a plugin's type, as in `datasource.type`)."""
DEFAULT_DATASOURCE_TYPE = "prometheus"
_OPEN = "open"

panel_datasource_type: ContextVar[str | None] = ContextVar("panel_datasource_type", default=None)


def targets_of_panel(targets: Any, datasource: DataSourceRef | None, validate: Callable[[Any], Any]) -> Any:
    """`validate(targets)` knowing the type of the datasource they inherit from their panel."""
    token = panel_datasource_type.set(datasource.type if datasource is not None else None)
    try:
        return validate(targets)
    finally:
        panel_datasource_type.reset(token)


def target_kind(target: Any) -> str:
    """The tag of a target's model: its own datasource's type, else the panel's, else the default's."""
    if isinstance(target, QueryFields):
        kind = next((name for name, model in QUERY_MODELS.items() if type(target) is model), _OPEN)
    else:
        datasource = target.get("datasource") if isinstance(target, dict) else None
        own = datasource.get("type") if isinstance(datasource, dict) else None
        kind = own or panel_datasource_type.get() or DEFAULT_DATASOURCE_TYPE
    return f"<{kind if kind in QUERY_MODELS else _OPEN}>"


Target = Annotated[
    Annotated[PrometheusQuery, Tag("<prometheus>")]
    | Annotated[LokiQuery, Tag("<loki>")]
    | Annotated[TempoQuery, Tag("<tempo>")]
    | Annotated[JaegerQuery, Tag("<jaeger>")]
    | Annotated[AlertmanagerQuery, Tag("<alertmanager>")]
    | Annotated[AlertmanagerQuery, Tag("<camptocamp-prometheus-alertmanager-datasource>")]
    | Annotated[OpenQuery, Tag(f"<{_OPEN}>")],
    Discriminator(target_kind),
]
"""One of a panel's targets, as its datasource's model."""
