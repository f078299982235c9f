"""The table `moncc routes` prints: each alert's label sets, the receivers they reach, how they are grouped,
and which other alerts can mute them."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.dsl.alertmanager.inhibition import inhibited_by
from compiler.dsl.alertmanager.routes import GROUP_BY_ALL, Destination
from compiler.dsl.durations import format_duration
from compiler.model.routing import ALERTNAME, RoutedAlert, Routing


def routing_table(routing: Routing) -> Iterator[str]:
    """One row per alert and distinct set of the labels routing reads, aligned in columns."""
    read = _labels_read(routing)
    rows: dict[tuple[str, ...], None] = {}
    for routed in sorted(routing.alerts, key=lambda routed: (routed.alert, sorted(routed.labels.items()))):
        labels = ", ".join(f"{name}={value}" for name, value in sorted(routed.labels.items()) if name in read)
        receivers = "; ".join(_destination(destination) for destination in routed.destinations)
        if routed.templated:
            receivers = f"unknown until it fires ({', '.join(routed.templated)}: a template no test renders)"
        rows[(routed.alert, labels or "-", receivers, _muted_by(routing, routed) or "-")] = None
    header = ("alert", "labels routing reads", "receivers (grouping)", "muted while firing")
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        yield "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()


def _labels_read(routing: Routing) -> set[str]:
    """Labels some matcher, `group_by` or inhibit rule reads (alertname is the row's own column)."""
    config = routing.alertmanager
    read = {matcher.name for route in config.route.walk() for matcher in route.matchers}
    read |= {name for route in config.route.walk() for name in route.group_by or ()}
    for rule in config.inhibit_rules:
        read |= {matcher.name for matcher in (*rule.source, *rule.target)} | set(rule.equal)
    return read - {ALERTNAME, GROUP_BY_ALL}


def _destination(destination: Destination) -> str:
    grouping = ", ".join(destination.group_by) if destination.group_by else "one group"
    return f"{destination.receiver} (by {grouping}; wait {format_duration(destination.group_wait)})"


def _muted_by(routing: Routing, routed: RoutedAlert) -> str:
    """The known alerts that inhibit this one while firing with the labels they are known by (its own, or
    those a test shows), so an inhibit rule's `equal` labels must agree between the two label sets."""
    others = [other.labels for other in routing.alerts if other is not routed]
    muting = inhibited_by(routing.alertmanager.inhibit_rules, routed.labels, others)
    return ", ".join(sorted({source[ALERTNAME] for _, source in muting}))
