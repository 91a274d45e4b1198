# Two commands set everything up: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -c1-12)
VENDOR := portal/static/vendor
export PORTAL_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: run run-prod test test-postgres audit-deps install assets translations chromium lint unit browser clean extract-messages screenshots \
	bench-load

run: install
	$(FLASK) init-db
	$(FLASK) demo
	$(FLASK) reindex
	@echo ""
	@echo "Serving on http://127.0.0.1:5000  (Ctrl-C stops)"
	PORTAL_SECURE_COOKIES=0 $(FLASK) run --host 127.0.0.1 --port 5000

# Production-style serving: gunicorn with several workers (see docs/DEPLOY.md for the proxy and TLS).
WORKERS ?= 4
run-prod: install
	$(FLASK) init-db
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:8000 --access-logfile - \
	  --control-socket "$(PORTAL_INSTANCE_PATH)/gunicorn.ctl" "portal:create_app()"

install: $(STAMP) $(VENDOR)/.done translations

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Front-end packages from the npm registry, pinned by package-lock.json; only two CSS files ship.
$(VENDOR)/.done: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht-components.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css $(VENDOR)/voorbeeld-theme.css
	touch $@

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations

# Browser tests need Debian's Chromium; install it when we can (root), never Playwright's download.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will report skipped"; fi; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The whole suite on SQLite, then the portal tests again on PostgreSQL (a fresh database per test), and the
# shared search-backend suite with the postgres backend required (it also joins the first leg when reachable).
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

test: install chromium lint audit-deps
	$(BIN)/python -m pytest -q -n 2 --dist loadfile
	@$(MAKE) --no-print-directory test-postgres

# Known vulnerabilities in the pinned dependencies (pip-audit over requirements.txt and constraints.txt).
# Needs the PyPI vulnerability service; without it the audit says INCOMPLETE (an error with PORTAL_REQUIRE_DEP_AUDIT=1).
audit-deps: install
	$(BIN)/python scripts/audit_deps.py

test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== PostgreSQL leg: $(PG_TEST_URL)"; \
	  PORTAL_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q -n 2 --dist loadfile tests/portal \
	    tests/unit/search_index; \
	elif [ "$$CI" = "true" ]; then \
	  echo "FAILED: PostgreSQL at $(PG_TEST_URL) is not reachable; CI requires the PostgreSQL leg" >&2; exit 1; \
	else echo "SKIPPED: PostgreSQL leg (no server at $(PG_TEST_URL)); CI requires it"; fi

# Load benchmark (docs/PERFORMANCE.md, "Load"): gunicorn on loopback, 20/50 users x 1/2/4 workers x SQLite and
# PostgreSQL (PG_BENCH_URL; a scratch database is created and dropped), 60 s each, about 20 minutes in all.
PG_BENCH_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
bench-load: install
	$(BIN)/python bench/load.py --matrix --pg-url $(PG_BENCH_URL)

screenshots: install chromium
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
