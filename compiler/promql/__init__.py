"""PromQL, the bottom layer: parsing, walking syntax trees, selectors, range windows, Grafana variable stand-ins
and the labels a result carries. It imports nothing else of moncc, so every stage can read PromQL one way."""
