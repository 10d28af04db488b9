# Palabre — every entry point. `make demo` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_PACKAGES := chromium poppler-utils gettext zbar-tools nginx
PALABRE_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/palabre
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: requirements help install install-test system-packages demo serve test test-sqlite test-postgres test-browser lint fmt typecheck check messages mutation scale-drill clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	@python=$$(scripts/find-python) || exit 1; echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[test]'
	@# The budget engine's test oracle, without the proprietary solver it asks for (pyproject.toml).
	$(BIN)/python -m pip install --quiet --no-deps -c requirements/constraints.txt pabutools
	@touch $@

install: $(VENV)/.installed ## prepare .venv with Palabre and its pinned dependencies

install-test: $(VENV)/.installed-test

system-packages: ## install the Debian libraries PDF generation needs (or print the command)
	@scripts/system-packages $(PDF_PACKAGES) || true

demo: install system-packages ## install, load the demo data into SQLite and serve on :8000
	$(BIN)/palabre demo
	PALABRE_DEMO=true $(BIN)/palabre serve

serve: install ## serve the configured database with gunicorn
	$(BIN)/palabre serve

test: install-test ## the whole suite: lint, types, migrations, SQLite, PostgreSQL, browser
	@scripts/system-packages --required $(PDF_PACKAGES) $(TEST_PACKAGES)
	$(MAKE) --no-print-directory lint typecheck check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install-test ## every test on SQLite, browser journeys included
	$(BIN)/pytest

test-postgres: install-test ## the database tests again on PostgreSQL (skipped only outside CI)
	@if scripts/postgres-ready "$(PALABRE_TEST_DATABASE_URL)"; then \
	  PALABRE_DATABASE_URL="$(PALABRE_TEST_DATABASE_URL)" $(BIN)/pytest -m "not browser" --ignore=palabre/pb --ignore=palabre/opinion_map --ignore=tests/production; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is unreachable at $(PALABRE_TEST_DATABASE_URL) and CI=true: failing."; exit 1; \
	else \
	  echo "PostgreSQL is unreachable at $(PALABRE_TEST_DATABASE_URL): PostgreSQL tests NOT run."; \
	fi

lint: install-test ## ruff lint and format check, the import rules (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fmt: install-test ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install-test ## mypy --strict
	$(BIN)/mypy config palabre tests benchmarks conftest.py

check: install-test ## Django checks, missing migrations, translation catalogues
	$(BIN)/palabre manage check --fail-level WARNING
	$(BIN)/palabre manage makemigrations --check --dry-run
	$(BIN)/palabre manage compilemessages --ignore=.venv --ignore=mutants -v 0
	@git diff --quiet -- palabre/locale || { echo "palabre/locale/*.mo are stale: commit the compiled catalogues."; exit 1; }

messages: install-test ## refresh the .po catalogues from the code
	$(BIN)/palabre manage makemessages -l fr -l nl -l en --ignore=.venv --ignore=static --ignore=mutants --no-obsolete
	$(BIN)/palabre manage compilemessages --ignore=.venv --ignore=mutants

# `make mutation MUTANTS='palabre.links.actions.*'` runs the mutants of one file only.
MUTANTS ?=
mutation: install-test ## mutants of permissions.py and actions.py, then the survivors (slow; docs/mutation.md)
	@# A fresh copy each time: mutmut re-copies no template or test file it already has in mutants/.
	rm -rf mutants
	set -f; nice -n 19 $(BIN)/mutmut run $(MUTANTS)
	@echo "Surviving mutants (see docs/mutation.md for the ones known to be harmless):"
	@$(BIN)/mutmut results

$(VENV)/.installed-drill: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[drill]'
	@touch $@

scale-drill: $(VENV)/.installed-drill ## city-scale load: PostgreSQL, Redis, 2 app servers, nginx, one killed (docs/scale.md)
	$(BIN)/python scripts/scale-drill

# pip-tools in a throw-away environment: the pins (constraints.txt) with every file's hash.
requirements: ## write requirements/production.txt (runtime pins with hashes) from constraints.txt
	@python=$$(scripts/find-python) || exit 1; tools=$$(mktemp -d); \
	"$$python" -m venv "$$tools" && "$$tools/bin/pip" install --quiet pip-tools==7.7.0 && \
	"$$tools/bin/pip-compile" --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -c requirements/constraints.txt \
	  -o requirements/production.txt pyproject.toml; status=$$?; rm -rf "$$tools"; exit $$status

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) var mutants
