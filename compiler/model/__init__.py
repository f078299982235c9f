"""Stage 2: the model every later stage reads, built once per run from the loaded sources."""
