# Two commands: `make run` and `make test`. Everything else is what they need.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup chromium install run test test-all chaos screenshots histories lint schema check-contract clean

setup: chromium install

# What `make run` needs: the Python environment and the built dashboard.
install: $(VENV)/.installed web/dist/app.js

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The dashboard: built with the machine's Node.js and npm; the output is not committed.
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/app.js: web/node_modules/.installed web/build.mjs $(wildcard web/src/*)
	cd web && npm run build

run: install
	$(BIN)/stelsel dev

# Every change: the rules, the store, the workflows and the API (a few minutes).
test: setup lint
	$(BIN)/pytest -m "not full"

# The rest: whole processes, the browser, fault injection, fuzzing. CI runs both.
test-all: setup lint
	$(BIN)/pytest -m full

# The fault-injection suite and the hostile-input property test at full size (their quick
# variants are part of `make test`).
chaos: setup
	STELSEL_CHAOS_ISSUES=50 STELSEL_CHAOS_KILLS=10 STELSEL_HOSTILE_EXAMPLES=600 \
		$(BIN)/pytest tests/chaos tests/graph/test_hostile_property.py -v -s

# The README's pictures of the dashboard and the accessibility statement's evidence
# (services/accessibility.json), from the browser tests on the demo's issues alone.
screenshots: setup
	STELSEL_SCREENSHOTS=1 $(BIN)/pytest tests/e2e/test_accessibility.py -q

# Histories of every workflow type, recorded with today's code for the replay test: run
# before a release (docs/OPERATIONS.md, the patch lifecycle).
histories: setup
	STELSEL_RECORD_HISTORIES=$$(date +%Y-%m-%d) $(BIN)/pytest tests/workflows/test_replay.py -q -k fresh

lint: setup
	$(BIN)/ruff check services tests bench

schema: setup
	$(BIN)/stelsel export-schema

check-contract: setup
	$(BIN)/python ../shared/tools/check_contract.py schema/schema.graphql

clean:
	rm -rf $(VENV) .stelsel .pytest_cache web/node_modules web/dist
