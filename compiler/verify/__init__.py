"""Stage 4: prove the artifacts valid (promtool, JSON Schema) and current (stale build/)."""
