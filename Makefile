# Two commands: `make run` builds the graph from the bundled data, `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
BASE    = $(VENV)/.installed-base
TESTS   = $(VENV)/.installed-test

.DEFAULT_GOAL := help
.PHONY: help run test install system-deps lint bench screenshots clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(BASE)

$(TESTS): $(BASE)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TESTS)

install: $(TESTS)  ## create .venv and install the project with its test extras

system-deps:  ## install Debian's chromium and raptor2-utils when missing
	@scripts/install-system-deps.sh

run: $(BASE)  ## build the graph from the bundled data and write exports/
	$(BIN)/kg build

test: $(TESTS) system-deps  ## lint and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(TESTS)  ## ruff only
	$(BIN)/ruff check .

bench: $(TESTS) system-deps  ## run the benchmarks and rewrite BENCHMARKS.md figures
	$(BIN)/python benchmarks/run_all.py

screenshots: $(TESTS) system-deps  ## refresh the README screenshots of the HTML views
	$(BIN)/python scripts/screenshots.py

clean:  ## remove the virtual environment and the local store
	rm -rf $(VENV) .kg
