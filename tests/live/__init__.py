"""Tests that start real servers: Prometheus and Alertmanager, with `servers.py` as their harness."""
