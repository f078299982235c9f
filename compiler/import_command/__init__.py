"""`moncc import`: existing rule files, SLO specs and dashboard JSON turned into DSL source modules."""
