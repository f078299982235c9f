"""grafanalib dashboards adapted to the JSON model Grafana 11/12 stores: modern panels, laid out, with uids.

Adapted once per run, in the model, so that emit writes the documents and lint reads the same ones.
"""
