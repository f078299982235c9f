"""Stage 1: import the repository's source modules and collect the DSL objects they define."""
