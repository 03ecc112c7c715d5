# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
# Debian's headless shell: the same Blink as chromium without the full browser's interface,
# less than half its CPU in the browser journeys (Playwright's own choice for headless runs).
CHROMIUM ?= /usr/lib/chromium/chromium-headless-shell
TEST_WORKERS ?= auto

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

# uv itself comes from PyPI into a project-local venv, so no shell shim or download is needed.
$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

# Python compiles every module it imports afresh when it may not write its cache
# (PYTHONDONTWRITEBYTECODE, as on this machine, or a read-only tree): compiled once here,
# a Django start takes a third of the time (1.4 s instead of 3.8 s), in every test worker,
# every process a test starts, every gunicorn and Celery process.
install: $(UV)  ## Install the locked dependencies, compile translations, collect static files
	$(UV) sync --locked --compile-bytecode
	$(PY) -m compileall -q -x '/\.(venv|tools)/' .
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0
	DEBUG=1 $(PY) manage.py collectstatic --noinput -v0

# The demo's staff accounts pass the two-factor step with this code (DEBUG only).
DEMO_MFA := MFA_TOTP_INSECURE_BYPASS_CODE=000000

# Links in e-mails, calendar feeds and allauth's pages name the address being served.
RUN_ENV := DEBUG=1 PORTAL_BASE_URL=http://127.0.0.1:$(PORT)

run: install  ## Embedded portal on http://127.0.0.1:$(PORT) with demo data (SQLite, in-process tasks)
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(DEMO_MFA) $(PY) manage.py seed_demo
	$(RUN_ENV) $(DEMO_MFA) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# supervisord restarts whichever of gunicorn, the Celery worker and beat dies (deploy/).
SERVE_RUN_DIR ?= $(CURDIR)/.run
serve: install  ## Real stack (needs DATABASE_URL, REDIS_URL, SECRET_KEY): gunicorn, Celery worker and beat, supervised
	$(PY) manage.py migrate --noinput
	mkdir -p $(SERVE_RUN_DIR)
	PORT=$(PORT) SERVE_RUN_DIR=$(SERVE_RUN_DIR) .venv/bin/supervisord -c deploy/supervisord.conf

browser:  ## Install Debian's Chromium headless shell for the browser tests if it is missing
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium-headless-shell; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium-headless-shell; fi; }

# The suite runs in TEST_WORKERS processes (pytest-xdist; 0 for one process), each on a
# PostgreSQL test database and a Redis index of its own (tests/conftest.py).
test: install browser  ## The whole test suite, browser journeys included
	CHROMIUM_PATH=$(CHROMIUM) $(PY) -m pytest --create-db -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(UV)  ## ruff check and format check, then the type check (as make typecheck)
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	DEBUG=1 $(UV) run --locked mypy

# The apps, tests left out (pyproject.toml). Incremental: .mypy_cache makes a rerun quick.
typecheck: $(UV)  ## mypy with django-stubs on the apps
	DEBUG=1 $(UV) run --locked mypy

format: $(UV)  ## Fix what ruff can fix
	$(UV) run --locked ruff check --fix .
	$(UV) run --locked ruff format .

messages: install  ## Extract translatable strings into locale/*/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py makemessages -l fr -l nl -l en --ignore=.venv --ignore=.tools --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	DEBUG=1 $(PY) manage.py french_typography

bench: install  ## Benchmarks that print their figures (pages at demo size, then the real stack at design scale)
	$(PY) bench/pages.py
	$(PY) bench/stack.py
	$(PY) bench/case_search.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wellbeing} $(PY) bench/search.py

.PHONY: help install run serve browser test lint typecheck format messages bench
