# Two commands: `make run` (demo on SQLite + embedded broker, or PostgreSQL/Redis when
# DATABASE_URL/REDIS_URL are set) and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
# Two workers: the machines have two cores; override with PYTEST_ARGS="-n 0 -x" to debug.
PYTEST_ARGS ?= -n 2
STAMP := $(VENV)/.installed

.PHONY: run test install lint format messages check-migrations clean bench mutants

$(STAMP): requirements.txt requirements-dev.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py demo_data
	@echo ""
	@echo "  servicedesk: http://127.0.0.1:8000/"
	@echo "  demo logins: frontdesk officer pricetag clerk supervisor manager headoffice headoffice2 admin"
	@echo "  password:    demo-pass-2026"
	@echo "  database:    $${DATABASE_URL:-SQLite var/db.sqlite3}   broker: $${REDIS_URL:-filesystem var/celery}"
	@echo "  Ctrl-C stops web, worker and beat."
	@echo ""
	DEBUG=$${DEBUG:-true} $(VENV)/bin/honcho -f Procfile start

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
