# Regioaanpak monitor. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.geinstalleerd
HOST ?= 127.0.0.1:8000

.PHONY: help install systeempakketten migrate demodata run test lint schema bench clean productie schaaltest bench-last

help:
	@echo "make run   installeren, migreren, demodata laden, demogebruikers maken en serveren op http://$(HOST)"
	@echo "make test  de hele testsuite (SQLite, of PostgreSQL met DATABASE_URL=postgres://...)"
	@echo "make lint  ruff, manage.py check en makemigrations --check"
	@echo "make schema het OpenAPI-schema van de API opnieuw schrijven (regioaanpak/api/openapi.yaml)"
	@echo "make productie  productie op deze machine: migraties, collectstatic, gunicorn, Celery-werker en beat (zie README, Productie)"
	@echo "make schaaltest twee app-processen achter nginx, met PostgreSQL, Redis en een werker; een reis over beide (deploy/schaaltest.py)"
	@echo "make bench snelheid meten (invoerscherm, dashboards, rapporten, API, aanvallen op de invoer); uitkomst in bench/resultaten/"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 ($(PYTHON)) is niet gevonden."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: systeempakketten $(STAMP)

# WeasyPrint (PDF reports) needs Pango and a font from Debian, and subsets the embedded fonts with
# HarfBuzz (without it fontTools does, with a warning per PDF: the demo's half-year report took
# 1,03 s to render instead of 0,74 s). Installed when missing and we are root.
systeempakketten:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || ! fc-list 2>/dev/null | grep -qi dejavu; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Debian-pakketten voor WeasyPrint installeren (pango, harfbuzz-subset, fonts-dejavu)..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
		else \
			echo "Let op: installeer libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0 en fonts-dejavu-core (nodig voor PDF-rapporten)."; \
		fi; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

demodata: migrate
	$(PY) manage.py laad_demodata

run: demodata
	$(PY) manage.py runserver $(HOST)

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /tmp/regioaanpak-openapi.yaml
	@diff -q regioaanpak/api/openapi.yaml /tmp/regioaanpak-openapi.yaml >/dev/null || { echo "Het OpenAPI-schema wijkt af van de code: draai make schema en commit regioaanpak/api/openapi.yaml."; exit 1; }

# The committed OpenAPI schema of the API; CI fails when the code and this file differ.
schema: install
	$(PY) manage.py spectacular --validate --fail-on-warn --file regioaanpak/api/openapi.yaml

# Times saving the full entry grid in a fresh test database (DATABASE_URL or temporary SQLite).
bench: install
	$(PY) bench/gegevensgrid.py
	$(PY) bench/dashboard.py
	$(PY) bench/rapporten.py
	$(PY) bench/api.py
	$(PY) bench/aanvallen.py
	@case "$$DATABASE_URL" in \
		postgres*) $(PY) bench/last.py ;; \
		*) echo "bench/last.py (lasttest in productievorm) overgeslagen: die draait tegen PostgreSQL en Redis; zet DATABASE_URL=postgres://... of draai make bench-last." ;; \
	esac

# The load test in production form: gunicorn, Celery, Redis and PostgreSQL on this machine,
# 50 Locust users for 60 s on national demo data (bench/resultaten/last.txt).
bench-last: install
	$(PY) bench/last.py

# Production on this machine: the same entrypoint a container runs (deploy/entrypoint.sh).
# Without productie.env one is made from deploy/productie.env.voorbeeld with a new SECRET_KEY.
productie: install
	@if [ ! -f productie.env ]; then \
		sleutel="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
		sed "s|^SECRET_KEY=$$|SECRET_KEY=$$sleutel|" deploy/productie.env.voorbeeld > productie.env; \
		chmod 600 productie.env; \
		echo "productie.env gemaakt uit deploy/productie.env.voorbeeld, met een nieuwe SECRET_KEY. Pas het aan voor uw omgeving."; \
	fi
	deploy/entrypoint.sh alles

# Two app processes behind nginx on loopback, one PostgreSQL, one Redis, one worker (CI).
schaaltest: install
	$(PY) deploy/schaaltest.py

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .ruff_cache
