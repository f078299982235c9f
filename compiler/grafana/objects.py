"""The base of every object of Grafana's model: strict about names, exact about what was set.

Grafana writes a field only when it differs from its default, but its JSON Schema requires some fields that have
defaults (a stat panel's `graphMode`...). So each class lists the fields it always writes (`WRITTEN`); any other
field is written only when the author or the imported JSON set it. That keeps output small, lets import leave
Grafana's defaults out of a generated module, and makes every written dashboard valid against the schema.

A field's default is what Grafana does when the field is absent (`axisCenteredZero` false, `hideFrom` hiding
nothing); it is `None` only where absent means what no value does (an axis `min`: automatic).

Fields are snake_case in Python and Grafana's camelCase in JSON (the alias); either name is accepted.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer, model_validator
from pydantic.alias_generators import to_camel


class GrafanaObject(BaseModel):
    """A closed object of Grafana's model: an unknown field is an error at the object that holds it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False, alias_generator=to_camel)

    WRITTEN: ClassVar[frozenset[str]] = frozenset()
    """Fields written even when left at their default, because Grafana's schema requires them."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Only a class with `WRITTEN` fields marks them set after validation: pydantic then skips the call for
        the others, a quarter of the time a dashboard takes to read."""
        super().__init_subclass__(**kwargs)
        if cls.WRITTEN:
            cls.model_post_init = _mark_written  # type: ignore[method-assign,assignment]

    def changed_fields(self) -> dict[str, Any]:
        """The fields set to something other than Grafana's default, by their JSON names.

        A null is never a change: Grafana reads it as the field absent (the writer leaves it out), so a
        `"description": null` is the default `""`, not a value to keep."""
        fields = type(self).model_fields
        changed = {}
        for name in sorted(self.model_fields_set):
            value = getattr(self, name) if name in fields else None
            if value is not None and value != fields[name].get_default(call_default_factory=True):
                changed[fields[name].alias or name] = value
        return changed


def _mark_written(self: GrafanaObject, context: Any, /) -> None:
    self.__pydantic_fields_set__.update(self.WRITTEN)


class OpenObject(GrafanaObject):
    """An object Grafana leaves open (a plugin's options, a datasource's query): unknown fields are kept."""

    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _write_unknown_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A null the model does not know the meaning of is kept as given (the writer leaves out other nulls)."""
        written: dict[str, Any] = handler(self)
        for key, value in (self.__pydantic_extra__ or {}).items():
            if value is None:
                written.setdefault(key, None)
        return written


class SupersededFieldsObject(GrafanaObject):
    """A closed object whose saved JSON may still carry fields Grafana stopped reading (`IGNORED`).

    Exports of real dashboards keep them for years (`style`, a Prometheus target's `step`, an annotation's
    `$$hashKey`); Grafana loads such a dashboard without a word, so the model does too and drops them: they are
    not in Grafana's schema, and writing them back would make the output invalid.
    """

    IGNORED: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _drop_ignored(cls, data: Any) -> Any:
        if isinstance(data, dict) and not cls.IGNORED.isdisjoint(data):
            return {key: value for key, value in data.items() if key not in cls.IGNORED}
        return data


class NullWrittenObject(GrafanaObject):
    """An object whose schema requires fields that may be null (a threshold's first step has `value: null`).

    The writer leaves out every null (Grafana reads null as absent), except these objects' `WRITTEN` fields.
    """

    @model_serializer(mode="wrap")
    def _write_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = handler(self)
        fields = type(self).model_fields
        for name in self.WRITTEN:
            written.setdefault(fields[name].alias or name, None)
        return written
