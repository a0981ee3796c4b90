# Two commands: `make run` and `make test`. Everything else is what they need.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup run test schema check-contract clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

run: setup
	$(BIN)/stelsel dev

test: setup
	$(BIN)/pytest

schema: setup
	$(BIN)/stelsel export-schema

check-contract: setup
	$(BIN)/python ../shared/tools/check_contract.py schema/schema.graphql

clean:
	rm -rf $(VENV) .stelsel .pytest_cache
