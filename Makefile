# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
CHROMIUM ?= /usr/bin/chromium

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

# uv itself comes from PyPI into a project-local venv, so no shell shim or download is needed.
$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

install: $(UV)  ## Install the locked dependencies, compile translations, collect static files
	$(UV) sync --locked
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0
	DEBUG=1 $(PY) manage.py collectstatic --noinput -v0

# The demo's staff accounts pass the two-factor step with this code (DEBUG only).
DEMO_MFA := MFA_TOTP_INSECURE_BYPASS_CODE=000000

run: install  ## Embedded portal on http://127.0.0.1:$(PORT) with demo data (SQLite, in-process tasks)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(DEMO_MFA) $(PY) manage.py seed_demo
	DEBUG=1 $(DEMO_MFA) $(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: install  ## Real stack (needs DATABASE_URL, REDIS_URL, SECRET_KEY): gunicorn, Celery worker and beat
	$(PY) manage.py migrate --noinput
	.venv/bin/honcho start -f Procfile

browser:  ## Install Debian's Chromium for the browser tests if it is missing
	@command -v $(CHROMIUM) >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test: install browser  ## The whole test suite, browser journeys included
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

lint: $(UV)  ## ruff check and format check
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .

format: $(UV)  ## Fix what ruff can fix
	$(UV) run --locked ruff check --fix .
	$(UV) run --locked ruff format .

messages: install  ## Extract translatable strings into locale/*/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py makemessages -l fr -l nl -l en --ignore=.venv --ignore=.tools --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete

bench: install  ## Benchmarks that print their figures
	@for script in bench/*.py; do [ -e "$$script" ] && $(PY) "$$script"; done; true

.PHONY: help install run serve browser test lint format messages bench
