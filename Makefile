# pickg: `make run` shows the knowledge graph at work, `make test` checks it.
# Needs only python3 and make: the first run builds .venv and installs pickg in it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PICKG  := $(BIN)/pickg
STAMP  := $(VENV)/.installed

.PHONY: help install run test test-fast test-deps lint fmt fmt-check clean distclean

help:
	@echo "make run        load the graph and show what pickg does"
	@echo "make test       run the whole test suite (first installs what its system tests drive)"
	@echo "make test-fast  run the tests that start no process, server, browser or LibreOffice"
	@echo "make lint       ruff check, ruff format --check and mypy, as configured in pyproject.toml"
	@echo "make fmt        rewrite ontology/ and data/ Turtle files in canonical form"
	@echo "make fmt-check  list the Turtle files that are not in canonical form"
	@echo "make clean      remove build outputs and caches (distclean: the venv too)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes (dependencies, entry points, package data).
# The editable install leaves pickg's own modules uncompiled; compile them once, as a
# regular install does, so no run pays for it (PYTHONDONTWRITEBYTECODE would stop
# Python writing the bytecode itself). A module edited since is compiled in memory again.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e '.[test]'
	$(BIN)/python -m compileall -q src
	touch $@

install: $(STAMP)

# The demonstration in one process (sources read once): validate, the headline
# queries, stats, then publish the release to dist/ (see `pickg run --help`;
# add --timings for the time of each step).
run: $(STAMP)
	$(PICKG) run --force

# What the system tests drive besides Python (Chromium, LibreOffice, Virtuoso, Jena, npm
# packages) is installed by tools/test-deps.sh when missing; it says what and why.
test-deps:
	tools/test-deps.sh

# pytest-xdist workers (docs/testing.md). The whole suite gives each worker whole modules
# (loadscope): the differential manifest compares its engines once every cell of its module
# has run in the same process. Its system tests spend long stretches waiting on what they
# start (the release's build, LibreOffice, Virtuoso, Java, Node, Chromium), so a third
# worker can use a core a waiting one leaves: on fresh clones the same evening, 137 % and
# 123 % of one core busy on three workers against 124 % on two (13 min 2 s against 13 min
# 32 s of pytest). The fast part is all computation: two workers, taking runs of tests
# from each other at the end (worksteal). WORKERS=0 (FAST_WORKERS=0) runs in one process.
WORKERS ?= 3
FAST_WORKERS ?= 2
# PYTHONDONTWRITEBYTECODE (set on some machines) would keep pytest from keeping the test
# modules it rewrites for its assertions: each worker of each run rewrote all of them (3 s).
PYTEST  := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -q

test: $(STAMP) test-deps
	$(PYTEST) -n $(WORKERS) --dist loadscope --no-loadscope-reorder

test-fast: $(STAMP)
	$(PYTEST) -n $(FAST_WORKERS) --dist worksteal -m 'not system'

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

fmt: $(STAMP)
	$(PICKG) fmt

fmt-check: $(STAMP)
	$(PICKG) fmt --check

clean:
	rm -rf dist build bench/scratch .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
