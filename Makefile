# moncc: every target sets up what it needs (a .venv with the packages, and promtool).
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
MONCC  := $(BIN)/moncc
# promtool 3.5 (Prometheus 3.5 LTS): Debian unstable's `promtool` package, unpacked here, never installed.
TOOLS     := .tools
PROMTOOL3 := $(TOOLS)/promtool-3/usr/bin/promtool

.PHONY: setup tools build check test lint docs dist bench clean

setup: $(VENV)/.installed tools $(PROMTOOL3)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Debian packages the commands and tests need, installed when missing: promtool ($PROMTOOL, or promtool on
# PATH, or the `prometheus` package, which ships /usr/bin/promtool and the /usr/bin/prometheus server that
# tests/live/ starts), amtool (the `prometheus-alertmanager` package, which ships /usr/bin/amtool and the
# /usr/bin/prometheus-alertmanager server that tests/live/ starts) and strace (the test that kills a build at
# every change it makes to the filesystem).
tools:
	@missing=""; \
	if [ -z "$$PROMTOOL" ] && ! command -v promtool >/dev/null 2>&1; then missing="$$missing prometheus"; fi; \
	if ! command -v amtool >/dev/null 2>&1; then missing="$$missing prometheus-alertmanager"; fi; \
	if ! command -v strace >/dev/null 2>&1; then missing="$$missing strace"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "missing Debian packages:$$missing, and apt-get is not available: install Prometheus' promtool" \
	       "(v2.42 or newer; or set PROMTOOL=/path/to/promtool), Alertmanager's amtool (v0.25 or newer) and strace," \
	       "and put them on PATH" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else \
	  echo "missing Debian packages:$$missing: run 'sudo apt-get install$$missing'" \
	       "(or set PROMTOOL=/path/to/promtool for promtool)" >&2; exit 1; fi; \
	echo "installing:$$missing (apt-get install)"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null

# Fetched through a private apt configuration: the machine's own Debian mirror, suite sid, only the
# `promtool` package, downloaded (`apt-get download`) and unpacked with `dpkg-deb -x` into $(TOOLS).
$(PROMTOOL3):
	@command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { \
	  echo "promtool 3.5 cannot be fetched without apt-get and dpkg-deb: download Prometheus 3.5's promtool" \
	       "and put it at $(PROMTOOL3), or name it in [tool.moncc.promtool] of pyproject.toml" >&2; exit 1; }
	@set -e; apt="$(CURDIR)/$(TOOLS)/apt"; rm -rf "$$apt"; \
	mkdir -p "$$apt/lists/partial" "$$apt/cache/archives/partial" "$$apt/sources"; \
	mirror=$$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n 1); \
	[ -n "$$mirror" ] || mirror=$$(awk '$$1 == "deb" && $$2 !~ /security/ { print $$2; exit }' /etc/apt/sources.list 2>/dev/null); \
	[ -n "$$mirror" ] || mirror=http://deb.debian.org/debian; \
	printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
	  "$$mirror" > "$$apt/sources/sid.sources"; \
	options="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$$apt/sources -o Dir::State::Lists=$$apt/lists \
	  -o Dir::Cache=$$apt/cache -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root"; \
	echo "fetching promtool 3.5 from $$mirror (suite sid) into $(TOOLS)/"; \
	apt-get $$options update -qq; \
	(cd "$$apt" && apt-get $$options download promtool >/dev/null); \
	dpkg-deb -x "$$apt"/promtool_*.deb $(TOOLS)/promtool-3; \
	rm -rf "$$apt"; \
	$@ --version | head -n 1

build: setup
	$(MONCC) build

check: setup
	$(MONCC) check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(MONCC) lint

# docs/lint.md is generated from the check modules (a test fails when it is stale); the DSL reference
# (mkdocs.yml: docs/reference/ from the docstrings of compiler.dsl, docs/guide/) is built into site/.
docs: setup
	$(BIN)/python -m compiler.lint.docs docs/lint.md
	$(BIN)/mkdocs build --strict --quiet

# The sdist, and the wheel built from it (as pip and pipx install it), into dist/: never into build/, which holds
# moncc's artifacts. No isolation: [build-system] requires is checked against the dev extras' hatchling.
dist: setup
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .

# CI gates on both engines: naming them makes a missing one an error instead of a skipped engine.
# pytest runs on two workers: the tests with real servers mostly wait (an alert's `for: 1m`), so the others
# run meanwhile.
test: setup lint dist
	$(BIN)/pytest -n 2
	$(BIN)/mkdocs build --strict --quiet
	$(MONCC) check
	$(MONCC) test --engine prometheus-2 --engine prometheus-3

bench: setup
	$(BIN)/python tests/bench/bench_compile.py
	$(BIN)/python tests/bench/bench_slo.py
	$(BIN)/python tests/bench/bench_dashboards.py
	$(BIN)/python tests/bench/bench_lint.py
	$(BIN)/python tests/bench/bench_import.py
	$(BIN)/python tests/bench/bench_test.py

clean:
	rm -rf $(VENV) $(TOOLS) dist .pytest_cache .mypy_cache .ruff_cache *.egg-info .build-staging-* .build-old-*
