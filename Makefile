# One command each: `make run` (set up, build the graph, serve it) and `make test`.
# Both work on a fresh machine: they create .venv and install what is missing.

VENV    ?= .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
PORT    ?= 8000

.PHONY: setup build run serve test lint browser vendor examples wheel-test clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,gazetteer,readers]'
	touch $@

build: setup
	$(BIN)/policykg build

run: build
	$(BIN)/policykg serve --port $(PORT)

# Headless Chromium (Debian's) for the browser tests of the query page, and a CJK font
# (WenQuanYi Zen Hei) so Chinese renders as glyphs, not boxes (tests/test_browser.py checks,
# and the PDF fixtures of tests/test_readers.py need it).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-wqy-zenhei >/dev/null; }

# The query page's libraries (CodeMirror 6, Chart.js, Cytoscape.js), vendored from npm and
# committed, so the page needs nothing from outside at run time.
vendor:
	server/static/vendor/fetch.sh

# server/static/examples.json from docs/queries/*.rq (the page reads the folder itself when
# it is there; the generated copy serves installs without docs/).
examples: setup
	$(BIN)/python -m policykg.server.examples

lint: setup
	$(BIN)/ruff check .

# The wheel as a user installs it, in a fresh venv in /tmp: build, validate, query, serve
# (.ci/wheel-test; about 40 s on a warm pip cache).
wheel-test: setup
	.ci/wheel-test $(BIN)/python

test: setup browser lint wheel-test
	$(BIN)/pytest -q

clean:
	rm -rf build .pytest_cache
