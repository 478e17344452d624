# Two commands do everything: `make run` and `make test`. The rest are their parts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CALFEED_BASE_URL ?= http://127.0.0.1:8000

.PHONY: run test lint typecheck pytest sync check bench clean

run: $(VENV)/.run-installed  ## create the environment, sync data/events.yaml, serve on :8000
	$(BIN)/calfeed serve

test: $(VENV)/.test-installed tests/js/node_modules/.installed lint typecheck pytest  ## everything CI runs

lint: $(VENV)/.test-installed
	$(BIN)/ruff check calfeed tests bench

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

pytest: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(VENV)/.run-installed
	$(BIN)/calfeed check

sync: $(VENV)/.run-installed
	$(BIN)/calfeed sync

bench: $(VENV)/.test-installed
	$(BIN)/python bench/run.py

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "calfeed needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# constraints.txt pins every package, so each fresh machine gets the same versions.
$(VENV)/.run-installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed
	$(BIN)/pip install -q -c constraints.txt -e '.[test,postgres]'
	touch $@

# ical.js, axe-core and FullCalendar for the client tests; skipped when npm is missing
# (the tests then say so, and fail under CALFEED_REQUIRE_ALL=1).
tests/js/node_modules/.installed: tests/js/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/js --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: browser and ical.js tests will be skipped"; fi

clean:
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache test-artifacts
