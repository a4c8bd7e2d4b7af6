# The two commands: `make run` (set up and serve) and `make test` (set up and run the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded setup: SQLite and Whoosh under ./data, debug on, nothing else needed.
export DJANGO_DEBUG ?= 1
export PYTHONUNBUFFERED := 1

.PHONY: run test test-fast golden venv install migrate seed index serve lint format clean runserver demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py loaddata fixtures/seed.json
	$(BIN)/python manage.py check_quotations --all

index: seed
	$(BIN)/python manage.py rebuild_index --noinput

# The index worker applies search-index work (the outbox) beside the server and stops with it.
runserver:
	$(BIN)/python manage.py index_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

run: index runserver

# A first run on a real archive: the UN General Debate Corpus (UNGDC=path to the .tgz or folder;
# default ../shared/data/ungdc when present), its topics (assigned by the import), the search index,
# then the server. Progress bars throughout; a second run imports nothing new.
UNGDC ?= $(firstword $(wildcard ../shared/data/ungdc/UNGDC_1946-2024.tgz ../shared/data/ungdc/TXT))
UNGDC_SPEAKERS ?= $(firstword $(wildcard $(dir $(UNGDC))Speakers_by_session.xlsx))
demo: seed
	@test -n "$(UNGDC)" || { echo "make demo needs the UN General Debate Corpus: make demo UNGDC=path/to/UNGDC_1946-2024.tgz (download: see README)"; exit 2; }
	$(BIN)/python manage.py import_ungdc $(UNGDC) $(if $(UNGDC_SPEAKERS),--speakers $(UNGDC_SPEAKERS))
	$(BIN)/python manage.py rebuild_index --noinput
	$(MAKE) runserver

# Production-like serving: gunicorn (workers from the CPU count), whitenoise for static files,
# PostgreSQL when DATABASE_URL says so. Needs DJANGO_SECRET_KEY; see README "Production".
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1) + 1)")
serve: install
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 $(BIN)/python manage.py index_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=0 $(BIN)/gunicorn archive.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --timeout 60 --graceful-timeout 20

test: install
	$(BIN)/python -m tests.run_suites

# The inner loop: SQLite only, no browser, nothing marked slow (subprocesses, servers, property and
# fuzz tests, big imports). Under two minutes on two cores; `make test` is still what must pass.
test-fast: install
	$(BIN)/python -m tests.run_suites --fast -q

# Rewrite the expected outputs in tests/data/ from the code as it is now; read `git diff tests/data/` after.
golden: install
	REGENERATE_GOLDEN=1 $(BIN)/python -m pytest -q -m golden

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) data .pytest_cache
