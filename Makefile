# BZPEER: `make run` serves the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The interpreter that builds the venv: the newest Python 3.12+ we can find (pyenv shims included).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bzpeer
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14

.PHONY: help install run worker test test-fast lint bench chromium clean

help:
	@echo "make run      install, migrate, load the demo and serve http://127.0.0.1:$(PORT) with a Celery worker"
	@echo "make test     the whole suite against PostgreSQL and Redis (DATABASE_URL, REDIS_URL)"
	@echo "make lint     ruff"
	@echo "make bench    import and graph benchmarks against PostgreSQL"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed on the PATH (or through pyenv)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: install
	@scripts/run.sh $(PORT)

test: install chromium
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	DJANGO_ENV=test $(PY) -m pytest -p no:cacheprovider --create-db $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/import_bench.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/graph_bench.py

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH)." >&2; exit 1; \
		fi; \
	fi

clean:
	rm -rf var $(VENV)
