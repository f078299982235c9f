"""Stage 3: turn the model into artifacts (path → text), one module per artifact kind."""
