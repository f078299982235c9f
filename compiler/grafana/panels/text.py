"""Text: Markdown, HTML or code, with dashboard variables interpolated; no query, no unit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compiler.grafana.field_config import FieldConfigSource
from compiler.grafana.objects import GrafanaObject
from compiler.grafana.panels.kind import PanelKind
from compiler.grafana.panels.panel import NoCustomFieldConfig, Panel

CodeLanguage = Literal["json", "yaml", "xml", "typescript", "sql", "go", "markdown", "html", "plaintext"]


class CodeOptions(GrafanaObject):
    """How `code` mode shows the content."""

    WRITTEN = frozenset({"language", "show_line_numbers", "show_mini_map"})

    language: CodeLanguage = "plaintext"
    show_line_numbers: bool = False
    show_mini_map: bool = False


class TextOptions(GrafanaObject):
    WRITTEN = frozenset({"mode", "content"})

    mode: Literal["html", "markdown", "code"] = "markdown"
    code: CodeOptions | None = None
    content: str = "# Title\n\nFor markdown syntax help: [commonmark.org/help](https://commonmark.org/help/)"


class TextPanel(Panel):
    type: Literal["text"] = "text"
    options: TextOptions = Field(default_factory=TextOptions)
    field_config: FieldConfigSource[NoCustomFieldConfig] = Field(default_factory=FieldConfigSource[NoCustomFieldConfig])


KIND = PanelKind("text", TextPanel, has_unit=False)
