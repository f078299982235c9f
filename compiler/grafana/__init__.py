"""Grafana's dashboard JSON model, typed: what a dashboard, a panel of each kind, a query, a variable may hold.

Written by moncc from Grafana's documented model (never generated or copied): every stage that reads or writes
dashboards goes through it: the build adapts grafanalib objects into it, `moncc import dashboard` reads JSON into
it (legacy AngularJS panels migrated first, `legacy/`), lint reads it, and one writer per schema version writes it.
It imports nothing else of moncc.
"""
