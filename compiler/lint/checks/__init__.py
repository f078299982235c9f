"""One module per lint check; `compiler.lint.registry` finds them."""
