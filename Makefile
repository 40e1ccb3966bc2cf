# One command each: `make run` (set up, build the graph, serve it) and `make test`.
# Both work on a fresh machine: they create .venv and install what is missing.

VENV    ?= .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
PORT    ?= 8000

.PHONY: setup build run serve test lint browser clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,gazetteer]'
	touch $@

build: setup
	$(BIN)/policykg build

run: build
	$(BIN)/policykg serve --port $(PORT)

# Headless Chromium (Debian's) for the browser test of the query page.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check .

test: setup browser lint
	$(BIN)/pytest -q

clean:
	rm -rf build .pytest_cache
