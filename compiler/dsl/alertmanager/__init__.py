"""Alertmanager as code: routes, receivers, inhibition, time intervals, and the tests that prove them."""
