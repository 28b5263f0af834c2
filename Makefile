# Zonal: `make demo` runs the demo, `make test` runs every test. Both set up .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint browser format bench i18n docs clean

$(VENV)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## demo: install Zonal, build the synthetic Brussels demo into the SQLite store, serve it on :8000
# The demo's store stays in this checkout (ignored by git), not in the user's shared data folder.
ZONAL_DATA_DIR ?= $(CURDIR)/.zonal
demo: $(VENV)/.runtime
	ZONAL_DATA_DIR="$(ZONAL_DATA_DIR)" $(BIN)/zonal demo

## test: lint, type-check, then unit, integration (SQLite + PostgreSQL) and end-to-end tests
test: lint browser
	$(BIN)/pytest --cov --cov-report=term:skip-covered

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/ruff format --check src tests bench migrations
	$(BIN)/mypy

## browser: Debian's Chromium for the browser tests (installed when run as root; else they skip)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: browser tests will skip (sudo apt-get install chromium)"; \
	  fi; }

format: $(VENV)/.dev
	$(BIN)/ruff check --fix src tests bench migrations
	$(BIN)/ruff format src tests bench migrations

## bench: run every benchmark and rewrite docs/benchmarks.md
bench: $(VENV)/.dev
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

## docs: regenerate the CLI reference from --help
docs: $(VENV)/.dev
	$(BIN)/typer zonal.cli utils docs --name zonal --title "Zonal command-line reference" --output docs/cli.md

## i18n: extract messages and update the nl/fr/de catalogues (then translate the new entries)
i18n: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -o src/zonal/web/locales/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i src/zonal/web/locales/messages.pot -d src/zonal/web/locales --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
