"""One-line problem messages: from pydantic's multi-line reports, and naming things that may hold any character.

The CLI prints one line per problem; a line break in a message (pydantic's own layout, or a name or key the
author wrote with "\\n" in it) would split one problem over several lines.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from compiler.problems import DefinitionError, Problem, SourceLocation

_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Every character `str.splitlines` breaks at, so no reader of the output sees a second line."""


def shown(name: str) -> str:
    """A name as written, or as a Python literal when it holds a character a one-line message cannot show."""
    return name if name.isprintable() else repr(name)


def subject(kind: str, name: object) -> str:
    """How a message names a DSL object, e.g. `alert HighErrorRate`; just the kind when it has no name."""
    return f"{kind} {shown(str(name))}" if name else kind


def one_line(message: str) -> str:
    """The message with its line breaks escaped (`\\n`), for messages that quote what the author wrote."""
    return _LINE_BREAKS.sub(lambda match: repr(match.group())[1:-1], message)


def definition_error(error: ValidationError, subject: str, location: SourceLocation) -> DefinitionError:
    """pydantic's report as one problem per error, each `subject: field: reason` at the author's line."""
    return DefinitionError(Problem(f"{subject}: {_describe(detail)}", location) for detail in error.errors())


def _describe(detail: Any) -> str:
    """One pydantic error as `field: reason`, without pydantic's own prefixes."""
    message = one_line(str(detail["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, "))
    field = ".".join(shown(str(part)) for part in detail["loc"]).removesuffix("_")
    return f"{field}: {message}" if field else message
