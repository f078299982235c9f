"""The base of every object of Grafana's model: strict about names, exact about what was set.

Grafana writes a field only when it differs from its default, but its JSON Schema requires some fields that have
defaults (a stat panel's `graphMode`...). So each class lists the fields it always writes (`WRITTEN`); any other
field is written only when the author or the imported JSON set it. That keeps output small, lets import leave
Grafana's defaults out of a generated module, and makes every written dashboard valid against the schema.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class GrafanaObject(BaseModel):
    """A closed object of Grafana's model: an unknown field is an error at the object that holds it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False)

    WRITTEN: ClassVar[frozenset[str]] = frozenset()
    """Fields written even when left at their default, because Grafana's schema requires them."""

    def model_post_init(self, context: Any, /) -> None:
        self.model_fields_set.update(self.WRITTEN)

    def changed_fields(self) -> dict[str, Any]:
        """The fields set to something other than Grafana's default, by their JSON names."""
        fields = type(self).model_fields
        return {
            fields[name].alias or name: getattr(self, name)
            for name in sorted(self.model_fields_set)
            if name in fields and getattr(self, name) != fields[name].get_default(call_default_factory=True)
        }


class OpenObject(GrafanaObject):
    """An object Grafana leaves open (a plugin's options, a datasource's query): unknown fields are kept."""

    model_config = ConfigDict(extra="allow")
