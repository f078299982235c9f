"""`python -m compiler` runs the moncc CLI."""

from compiler.cli import main

main()
