# One entry point: `make run` serves the site, `make test` runs the suite, `make lint` checks style.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
ADMIN_EMAIL ?= admin@example.org
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
FLASK := $(BIN)/flask --app wsgi

.PHONY: install translations i18n-extract i18n-check run setup test test-sqlite test-postgres test-cluster lint format test-browser browser-deps bench-load bench-fault

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,prod]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The interface's catalogues: .po files are in the repository, .mo files are built here (only
# those older than their .po) and never committed. `make i18n-extract` adds new strings to every
# .po; `make i18n-check` fails on a missing or fuzzy translation or untranslatable text.
translations: install
	$(FLASK) i18n compile

i18n-extract: install
	$(FLASK) i18n extract

i18n-check: install
	$(FLASK) i18n check

setup: translations
	$(FLASK) db upgrade
	@if $(FLASK) content --help >/dev/null 2>&1; then $(FLASK) content load; fi
	@if $(FLASK) forum --help >/dev/null 2>&1; then $(FLASK) forum seed; fi
	@if $(FLASK) search --help >/dev/null 2>&1; then $(FLASK) search rebuild; fi
	$(FLASK) users create-admin $(ADMIN_EMAIL) --if-missing

run: setup
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install test-sqlite test-postgres

test-sqlite: translations
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: translations
	@if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)"; then \
		echo "== Running the suite again on PostgreSQL ($(PG_TEST_URL))"; \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS); \
	else \
		echo "== SKIPPED: the PostgreSQL run (no server at $(PG_TEST_URL)); only SQLite was tested"; \
	fi

# Two gunicorn app nodes, one job worker, the local PostgreSQL and Redis, a local SMTP server
# started and stopped by the test (scripts/cluster_test.py; SKIPPED without PostgreSQL or Redis).
test-cluster: translations
	$(BIN)/python scripts/cluster_test.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Real-browser journeys (Playwright + Debian's Chromium), axe-core and the Nu HTML Checker (npm).
# Installs only what is missing: chromium from Debian, the npm tools from package-lock.json.
# Screenshots per step go to test-artifacts/.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Java runs the Nu HTML Checker (vnu.jar); Debian's headless JRE is installed when missing.
browser-deps: translations node_modules/.installed
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
		echo "== Installing from Debian:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	@command -v java >/dev/null || { echo "java is needed for the Nu HTML Checker"; exit 1; }
	@[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is needed for the journeys"; exit 1; }

test-browser: browser-deps
	$(BIN)/pytest -p no:cacheprovider -m browser tests/browser $(PYTEST_ARGS)

# Load and fault tests against gunicorn on 127.0.0.1 (on demand; figures in docs/PERFORMANCE.md).
# wrk (a load generator in C) drives the load; Debian's package is installed when missing.
bench-load: install
	@command -v wrk >/dev/null || { echo "== Installing wrk from Debian"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	$(BIN)/python benchmarks/load.py $(BENCH_ARGS)

bench-fault: install
	$(BIN)/python benchmarks/fault.py $(BENCH_ARGS)
