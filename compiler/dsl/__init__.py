"""The public DSL: what modules in `rules_src/` and `dashboards_src/` import."""

from compiler.dsl.rules import Alert, Record, RuleGroup

__all__ = ["Alert", "Record", "RuleGroup"]
