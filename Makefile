# moncc: every target sets up what it needs (a .venv with the packages, and promtool).
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
MONCC  := $(BIN)/moncc

.PHONY: setup promtool build check test lint docs bench clean

setup: $(VENV)/.installed promtool

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# promtool: $PROMTOOL, or promtool on PATH, or Debian's `prometheus` package (ships /usr/bin/promtool).
promtool:
	@if [ -n "$$PROMTOOL" ] || command -v promtool >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "promtool is missing and apt-get is not available: install Prometheus' promtool (v2.42 or newer)" \
	       "and put it on PATH, or set PROMTOOL=/path/to/promtool" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else \
	  echo "promtool is missing: run 'sudo apt-get install prometheus' (it ships /usr/bin/promtool)," \
	       "or set PROMTOOL=/path/to/promtool" >&2; exit 1; fi; \
	echo "installing promtool: apt-get install prometheus"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null && \
	command -v promtool >/dev/null

build: setup
	$(MONCC) build

check: setup
	$(MONCC) check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(MONCC) lint

# docs/lint.md is generated from the check modules (a test fails when it is stale).
docs: setup
	$(BIN)/python -m compiler.lint.docs docs/lint.md

test: setup lint
	$(BIN)/pytest
	$(MONCC) check
	$(MONCC) test

bench: setup
	$(BIN)/python tests/bench/bench_compile.py
	$(BIN)/python tests/bench/bench_slo.py
	$(BIN)/python tests/bench/bench_dashboards.py
	$(BIN)/python tests/bench/bench_lint.py
	$(BIN)/python tests/bench/bench_import.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info .build-staging-* .build-old-*
