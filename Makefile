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

# quiet installs: `make run` shows the build, not pip's output; pip's log is shown only when it fails
PIP_LOG = $(VENV)/pip.log
PIP = PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install --quiet --no-warn-script-location
QUIET = >>$(PIP_LOG) 2>&1 || { cat $(PIP_LOG); exit 1; }

$(BASE): pyproject.toml
	@echo "setting up $(VENV) (first run, or pyproject.toml changed)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip $(QUIET)
	@$(PIP) -e . $(QUIET)
	@touch $(BASE)

$(TESTS): $(BASE)
	@echo "installing the test extras into $(VENV)"
	@$(PIP) -e '.[test]' $(QUIET)
	@touch $(TESTS)

install: $(TESTS)  ## create .venv and install the project with its test extras

system-deps:  ## install Debian's chromium, raptor2-utils and Virtuoso when missing
	@scripts/install-system-deps.sh

run: $(BASE)  ## build the graph (bundled data + every ingested document) and write exports/
	@$(BIN)/kg build

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
