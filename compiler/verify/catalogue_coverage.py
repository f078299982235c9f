"""The raw metrics a build's rules and dashboards read that the metrics catalogue does not declare.

A build lists them (it does not fail: the catalogue is optional, and filling it is gradual); `moncc lint`'s
`promql/metric-undeclared` points at each use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compiler.load.metrics import Catalogue
from compiler.model.dashboards.queries import panel_targets
from compiler.promql.grafana_variables import VARIABLE_STAND_IN, parse_query
from compiler.promql.parse import parse_expr
from compiler.promql.selectors import metric_name, selectors


def undeclared_metrics(
    catalogue: Catalogue, rule_exprs: Iterable[str], dashboards: Iterable[Mapping[str, Any]]
) -> list[str]:
    """Sorted names read by the rule expressions or the dashboards' queries and not declared; none when the
    repository keeps no catalogue."""
    if not catalogue:
        return []
    trees = [parse_expr(expr) for expr in rule_exprs]
    for document in dashboards:
        for _, target in panel_targets(document.get("panels", [])):
            expr = target.get("expr")
            if isinstance(expr, str) and expr.strip():
                try:
                    trees.append(parse_query(expr))
                except ValueError:
                    continue  # the build reports it
    names = {name for tree in trees for selector in selectors(tree) if (name := metric_name(selector))}
    return sorted(name for name in names if not name.startswith(VARIABLE_STAND_IN) and not catalogue.declares(name))
