"""moncc: compile Python-declared monitoring into Prometheus rules, CRDs and Grafana dashboards."""
