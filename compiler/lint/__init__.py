"""`moncc lint`: checks on the typed sources, one module per check under `compiler/lint/checks/`."""
