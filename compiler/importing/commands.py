"""`moncc import ...`: one subcommand per kind of input."""

from __future__ import annotations

import click


@click.group("import")
def import_group() -> None:
    """Bring existing rule files, SLO specs and dashboard JSON into the DSL as source modules."""
