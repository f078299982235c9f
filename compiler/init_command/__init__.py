"""`moncc init`: a new project that builds, tests and lints at once, written from the files in `templates/`."""
