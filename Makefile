# Pressroom: `make run` to try it, `make test` to check it. See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-quick lint requirements bench soak backup restore

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
	DEBUG=1 $(BIN)/python -m pressroom.devserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=pressroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(BIN)/python -m pytest

# The suite less the tests that start servers of their own (marked `slow`).
test-quick: lint
	$(BIN)/python -m pytest -m "not slow"

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

# Backups (README, "Backups"): the database, photos and documents of the
# environment's DATABASE_URL, MEDIA_ROOT and DOCUMENTS_ROOT. `make backup`
# writes backups/<time>/; `make restore BACKUP=backups/<time>` restores one
# into an empty database (RESTORE_ARGS=--force replaces a database's content).
# Like `make run`, DEBUG=1 unless the environment sets it: the commands need
# no SECRET_KEY.
backup: $(VENV)/.runtime
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup

restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || { echo "Which backup? make restore BACKUP=backups/<name>"; exit 1; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore "$(BACKUP)" $(RESTORE_ARGS)
