# Two commands: `make run` (demo on SQLite + embedded broker, or PostgreSQL/Redis when
# DATABASE_URL/REDIS_URL are set) and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
# Two workers: the machines have two cores; override with PYTEST_ARGS="-n 0 -x" to debug.
PYTEST_ARGS ?= -n 2
STAMP := $(VENV)/.installed
# `make run` installs only what running needs (requirements.txt); tests, lint and benchmarks
# install the rest (requirements-dev.txt) on first use.
RUN_STAMP := $(VENV)/.installed-run
# Where `make run` serves: HOST=0.0.0.0 PORT=8080 make run (add the address to ALLOWED_HOSTS).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run reset-demo test install lint format messages check-migrations clean bench mutants

$(RUN_STAMP): requirements.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements.txt
	touch $(RUN_STAMP)

$(STAMP): requirements.txt requirements-dev.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $(RUN_STAMP) $(STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	@mkdir -p var
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py demo_data
	@echo ""
	@echo "  servicedesk: http://$(HOST):$(PORT)/"
	@echo "  demo logins: frontdesk officer pricetag clerk supervisor manager driver headoffice headoffice2 admin"
	@echo "  password:    demo-pass-2026"
	@echo "  database:    $${DATABASE_URL:-SQLite var/db.sqlite3}   broker: $${REDIS_URL:-filesystem var/celery}"
	@echo "  Ctrl-C stops web, worker and beat. Fresh demo data: make reset-demo"
	@echo ""
	HOST=$(HOST) PORT=$(PORT) DEBUG=$${DEBUG:-true} $(VENV)/bin/honcho -f Procfile start

# The demo as new (SQLite, the default): a fresh database file, migrated, with the demo data,
# and an empty broker. On PostgreSQL drop and create the database yourself, then `make run`.
reset-demo: $(RUN_STAMP)
	@if [ -n "$${DATABASE_URL:-}" ]; then \
	  echo "reset-demo resets the SQLite demo only; with DATABASE_URL: dropdb/createdb, then make run"; exit 1; fi
	rm -rf var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm var/celery
	@mkdir -p var
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py demo_data
	@echo "Demo data reset. make run serves it."

test: $(STAMP)
	@mkdir -p var
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks against the chain in DATABASE_URL (PostgreSQL; see docs/benchmarks.md): pages through
# gunicorn, the daily scheduling, then the locust load test. Not part of `make test`.
# Smoke: make bench BENCH_ARGS=--smoke LOAD_ARGS="--users 5 --time 15s"
BENCH_ARGS ?=
LOAD_ARGS ?=
bench: $(STAMP)
	@mkdir -p var/bench
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.load $(LOAD_ARGS)

# Mutation run (docs/testing.md): break each rule of DOMAIN.md in a scratch copy, run its tests,
# print the survivors. Not part of `make test`; about an hour on 2 cores. MUTANTS_ARGS="--only NAME".
MUTANTS_ARGS ?=
mutants: $(STAMP)
	$(PY) -m bench.mutants $(MUTANTS_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
