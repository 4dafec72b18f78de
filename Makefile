# Pont — the two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
EN_PO := src/pont/locale/en/LC_MESSAGES/django.po
# compilemessages/makemessages walk the current directory: run them inside src/pont, not over .venv
MANAGE_IN_SRC := cd src/pont && $(abspath $(PY)) $(abspath manage.py)

.PHONY: run test install install-dev lint messages compilemessages e2e bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

compilemessages: install
	$(MANAGE_IN_SRC) compilemessages -v 0

## Start Pont on SQLite (var/pont.sqlite3) with demo data, served by gunicorn on 127.0.0.1:$(PORT).
run: install compilemessages
	mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) matching_snapshot
	$(MANAGE) network_digest
	@echo "Pont: http://127.0.0.1:$(PORT)/  (API docs: http://127.0.0.1:$(PORT)/api/v1/docs)"
	test -s var/vapid.env || $(MANAGE) vapid_keys > var/vapid.env  # Web Push keys of this instance (not committed)
	set -a; . ./var/vapid.env; PONT_SITE_URL=http://127.0.0.1:$(PORT); set +a; \
	$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn pont.wsgi:application --pythonpath src --bind 127.0.0.1:$(PORT) \
		--workers 2 --threads 4 --access-logfile - 

## Lint, type-check (mypy with django-stubs), check migrations, compile translations and run every test (browser tests included).
test: install-dev compilemessages
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run -v 1
	$(MANAGE) check
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check src tests bench

## Refresh the .po catalogues from the code (then translate what is new in fr and nl).
messages: install
	$(MANAGE_IN_SRC) makemessages -l fr -l nl -l en --no-location --no-obsolete --no-wrap -v 0
	# English is the source language: its catalogue repeats the msgids, so nothing stays untranslated
	msgfilter --keep-header --no-wrap -i $(EN_PO) -o $(EN_PO) sed -e d
	msgattrib --clear-fuzzy --no-wrap -o $(EN_PO) $(EN_PO)
	msgen --no-wrap -o $(EN_PO) $(EN_PO)

e2e: install-dev compilemessages
	$(VENV)/bin/pytest -q tests/e2e

bench: install-dev
	$(PY) bench/people_list.py

clean:
	rm -rf var/static
