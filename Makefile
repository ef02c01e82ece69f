# The two commands a new machine needs:  make chat   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The Bot API server of the e2e tests (telegram-test-api, pinned in its package-lock.json).
BOTAPI := tests/e2e/botapi
lang ?=

.DEFAULT_GOAL := help
.PHONY: help chat test test-unit test-integration test-e2e lint train engine eval bench content-check i18n browser report clean botapi lock audit

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

# The bot's environment is exactly requirements.lock (every package, pip and the build backend
# included, pinned with the sha256 of its files); the project goes on top, resolving nothing.
$(BIN)/mip: requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed for the bot" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

chat: $(BIN)/mip  ## chat with the bot in this terminal (make chat lang=pl); installs and trains on first use
	$(BIN)/mip chat $(if $(lang),--lang $(lang))

$(BOTAPI)/node_modules/.installed: $(BOTAPI)/package.json $(BOTAPI)/package-lock.json
	npm ci --prefix $(BOTAPI) --no-audit --no-fund
	@touch $@

botapi: $(BOTAPI)/node_modules/.installed  ## install the Bot API emulator for the e2e tests (needs Node.js 18+)

test: $(BIN)/mip botapi browser  ## the whole suite: lint, content check, unit, integration (real engine, PostgreSQL), e2e (terminal and Telegram)
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy
	$(BIN)/mip content check
	$(BIN)/mip train
	$(BIN)/python -m pytest

test-unit: $(BIN)/mip  ## fast tests of the core (no engine)
	$(BIN)/python -m pytest -m "not integration and not e2e"

test-integration: $(BIN)/mip  ## real engine and PostgreSQL
	$(BIN)/mip train
	$(BIN)/python -m pytest -m integration

test-e2e: $(BIN)/mip botapi browser  ## the terminal chat and the Telegram bot against a Bot API server; the report in headless chromium
	$(BIN)/mip train
	$(BIN)/python -m pytest -m e2e

lint: $(BIN)/mip  ## ruff and mypy
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy

train: $(BIN)/mip  ## train the intent model when intents/ changed
	$(BIN)/mip train

engine: $(BIN)/mip  ## serve the intent model on port 5005
	$(BIN)/mip engine --port 5005

eval: $(BIN)/mip  ## held-out accuracy per language: reports/eval.md and charts
	$(BIN)/mip eval

bench: $(BIN)/mip  ## benchmarks, ~15 min (not in make test): training, latency, throughput, memory, language id, queue claims, handoff delivery and routing -> bench/RESULTS.md
	$(BIN)/mip train
	$(BIN)/python -m bench.training
	$(BIN)/python -m bench.latency
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.language_id
	$(BIN)/python -m bench.claims
	$(BIN)/python -m bench.handoff_burst
	$(BIN)/python -m bench.handoff_faults
	$(BIN)/python -m bench.ticket_routing

content-check: $(BIN)/mip  ## validate content/ (file:line for each problem)
	$(BIN)/mip content check

i18n: $(BIN)/mip  ## refresh the gettext catalogs after changing UI strings in bot/
	$(BIN)/pybabel extract -F babel.cfg -k gettext --no-location --omit-header --sort-output -o bot/locale/messages.pot .
	$(BIN)/pybabel update -i bot/locale/messages.pot -d bot/locale --no-fuzzy-matching --ignore-obsolete

browser:  ## Debian's chromium, for the report's browser test (installed with apt-get if missing)
	@command -v chromium >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "no apt-get: install chromium yourself (the browser test is skipped)"; exit 0; fi; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; }

report: $(BIN)/mip  ## anonymous report of the last month (make report period=2026-Q4) in reports/ (HTML + CSV)
	$(BIN)/mip report --out reports $(if $(period),--period $(period))

# uv resolves once for every Python the bot supports and every platform (--universal); the
# locks are plain pip requirements files, so installing needs nothing but pip. Pins already in a
# lock are kept; `make lock upgrade=1` moves everything to the newest versions allowed.
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --custom-compile-command "make lock" $(if $(upgrade),--upgrade)
BUILD_REQUIRES = $(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'

lock: $(BIN)/mip  ## rewrite the hashed locks after changing pyproject.toml or intents/requirements.txt
	$(BUILD_REQUIRES) | $(UV_COMPILE) --universal --python-version 3.11 pyproject.toml - --extra dev -o requirements.lock
	$(BUILD_REQUIRES) | $(UV_COMPILE) --universal --python-version 3.11 pyproject.toml - -c requirements.lock -o requirements-runtime.lock
	$(UV_COMPILE) --python-version 3.10 --python-platform x86_64-unknown-linux-gnu intents/requirements.txt -o intents/requirements.lock

# pip-audit reads the pinned versions from the locks (installs nothing) and asks the advisory
# database: PyPI's JSON API by default, `make audit service=osv` for osv.dev. --strict: a
# package it could not look up fails the audit instead of passing unchecked.
service ?= pypi
audit: $(BIN)/mip  ## known vulnerabilities in both locks (pip-audit, needs the network; not part of make test)
	@status=0; \
	for lock in requirements.lock intents/requirements.lock; do \
	  echo "== $$lock"; \
	  $(BIN)/pip-audit --strict --disable-pip --require-hashes --progress-spinner off \
	    --vulnerability-service $(service) -r $$lock || status=1; \
	done; \
	[ $$status = 0 ] || echo "make audit: see above; 'could not be audited' means the advisory database was not reachable"; \
	exit $$status

clean:  ## remove both environments, the model, the local database and the emulator
	rm -rf $(VENV) .mip intents/models data $(BOTAPI)/node_modules
