# Pressroom: `make run` to try it, `make test` to check it. See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

# `make run PORT=8123` serves on another port; SITE_URL follows it unless set.
PORT ?= 8000

.PHONY: run test test-quick lint requirements bench bench-alerts soak backup restore api-check cluster-test

# The virtual environment, rebuilt when a requirements file changes.
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py demo_accounts
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python -m pressroom.devserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=pressroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# The suite on every core (pytest-xdist), a test module per worker at a time:
# the tests that start servers of their own use ports fixed per module.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: lint
	$(PYTEST)

# The suite less the tests that start servers of their own (marked `slow`).
test-quick: lint
	$(PYTEST) -m "not slow"

# The live API against its own schema (issue 20; README, "Using the API"):
# gunicorn on the production settings with the demo content, on a database of
# its own, and Schemathesis with every check and phase; fails on any failure.
API_CHECK_EXAMPLES ?= 50

api-check: $(VENV)/.dev
	$(BIN)/python -m bench.api_check --max-examples $(API_CHECK_EXAMPLES)

# The pinned requirements (README, "Development"): requirements.txt, then the
# two files constrained by it, compiled from their .in files with every
# package's hash. Pins already there are kept; PIP_COMPILE_ARGS="--upgrade-package
# NAME" moves one package on, "--upgrade" every one.
requirements: $(VENV)/.dev
	for name in requirements requirements-s3 requirements-dev; do CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS) $$name.in || exit 1; done

# The benchmark of issue 8 (README, "Performance"): PostgreSQL from DATABASE_URL
# (default pressroom_bench), seeded up to BENCH_SIZE releases, gunicorn, wrk.
BENCH_SIZE ?= 100000
BENCH_MODE ?= both

bench: $(VENV)/.runtime
	$(BIN)/python -m bench.run --size $(BENCH_SIZE) --mode $(BENCH_MODE) $(BENCH_ARGS)

# The soak test of issue 7 (README, "Soak test"): PostgreSQL from DATABASE_URL
# (default pressroom_soak), seeded up to SOAK_SIZE releases; SOAK_CONNECTIONS
# readers (wrk) for SOAK_MINUTES while two editors publish; fails on any error
# or on worker memory still growing.
SOAK_SIZE ?= 20000
SOAK_MINUTES ?= 3
SOAK_CONNECTIONS ?= 300

soak: $(VENV)/.runtime
	$(BIN)/python -m bench.soak --size $(SOAK_SIZE) --minutes $(SOAK_MINUTES) --connections $(SOAK_CONNECTIONS) $(SOAK_ARGS)

# The cluster test of issue 21 (README, "Deployment"): eight test hosts in
# network namespaces (prc-*, 10.217.0.0/24), each server started from
# deploy/; as root, with nginx, wrk, redis-server and PostgreSQL's binaries
# installed. CLUSTER_CHECKS="4 5" runs those checks only.
cluster-test: $(VENV)/.dev
	$(BIN)/python -m bench.cluster $(CLUSTER_CHECKS)

# Backups (README, "Backups"): the database, photos and documents of the
# environment's DATABASE_URL, MEDIA_ROOT and DOCUMENTS_ROOT. `make backup`
# writes backups/<time>/; `make restore BACKUP=backups/<time>` restores one
# into an empty database (RESTORE_ARGS=--force replaces a database's content).
# Like `make run`, DEBUG=1 unless the environment sets it: the commands need
# no SECRET_KEY.
backup: $(VENV)/.runtime
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup $(BACKUP_ARGS)

restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || { echo "Which backup? make restore BACKUP=backups/<name>"; exit 1; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore "$(BACKUP)" $(RESTORE_ARGS)

# The alerts' benchmark of issue 17 (README, "E-mail alerts"): PostgreSQL from
# DATABASE_URL (default pr_alerts_bench), BENCH_ALERTS_ARGS="--subscribers N".
bench-alerts: $(VENV)/.dev
	$(BIN)/python -m bench.alerts $(BENCH_ALERTS_ARGS)
