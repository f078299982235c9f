"""Legacy AngularJS dashboards migrated to Grafana's modern model, the way Grafana's own migrations do it.

A dashboard of schemaVersion 14 (rows of `graph`, `table`, `singlestat` panels) has no faithful import unless it is
first migrated: Grafana 11/12 no longer runs AngularJS panels. `migrate_dashboard` works on the plain JSON data
(it imports nothing but the standard library) and returns the modern document with one choice line per decision
a reader of the imported dashboard should know (what was dropped, guessed or reinterpreted).
"""

from compiler.grafana.legacy.dashboard import MigratedDashboard, migrate_dashboard

__all__ = ["MigratedDashboard", "migrate_dashboard"]
