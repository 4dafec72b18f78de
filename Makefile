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
# One line per step; the web and the worker log in the same time zone as Pont (Europe/Brussels), each line
# says which process wrote it, and the access log leaves out query strings (searches hold people's names).
ACCESS_FORMAT := [web] %(t)s %(s)s %(m)s %(U)s %(M)sms
run: export TZ = Europe/Brussels
run:
	@echo "Pont: installing Python packages into $(VENV)/ (first time: a few minutes)…"
	@$(MAKE) -s install
	@echo "Pont: compiling translations (fr, nl, en)…"
	@$(MAKE) -s compilemessages
	@mkdir -p var
	@echo "Pont: preparing the database var/pont.sqlite3…"
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) createcachetable -v 0
	@echo "Pont: collecting static files…"
	@$(MANAGE) collectstatic --noinput -v 0
	@echo "Pont: loading the demo data (first time only)…"
	@$(MANAGE) seed_demo --if-empty
	@echo "Pont: preparing matching and the network digest…"
	@$(MANAGE) matching_snapshot > /dev/null
	@$(MANAGE) network_digest > /dev/null
	@test -s var/vapid.env || $(MANAGE) vapid_keys > var/vapid.env  # Web Push keys of this instance (not committed)
	@echo "Pont: starting the task worker and the web server…"
	@echo ""
	@echo "  Pont is at http://127.0.0.1:$(PORT)/   (API docs: http://127.0.0.1:$(PORT)/api/v1/docs,"
	@echo "  public help page: http://127.0.0.1:$(PORT)/care/help/). Stop with Ctrl+C."
	@echo ""
	@set -a; . ./var/vapid.env; PONT_SITE_URL=http://127.0.0.1:$(PORT); set +a; \
	$(MANAGE) db_worker > >(sed -u 's/^/[worker] /') 2>&1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn pont.wsgi:application --pythonpath src --bind 127.0.0.1:$(PORT) \
		--workers 2 --threads 4 --access-logfile - --access-logformat '$(ACCESS_FORMAT)' 2>&1 | sed -u 's/^\[20/[web] [20/'

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
