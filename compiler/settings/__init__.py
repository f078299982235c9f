"""`[tool.moncc]` of the repository's pyproject.toml: the project's settings, read before any stage runs."""
