# Two commands on a fresh machine (Python 3.11 + pip): `make run` and `make test`.
# Each sets itself up: a virtual environment in .venv from the pinned constraints.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PORT   ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test validate lint typecheck audit unit browser bench loadtest mutation constraints chromium axe clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP) chromium
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.headless true

validate: $(STAMP)
	$(BIN)/python -m pipeline validate

# Debian's Chromium for the browser test and for slide images (kaleido drives it through
# BROWSER_PATH; neither Playwright nor kaleido may download a browser here), and fonts that
# cover Hangul and Khmer so names render in images.
FONT_PACKAGES := fonts-noto-cjk fonts-khmeros
export BROWSER_PATH := $(CHROMIUM)
chromium:
	@test -x $(CHROMIUM) && dpkg -s $(FONT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and fonts ($(FONT_PACKAGES)) for the browser test and images"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
	    $(FONT_PACKAGES) >/dev/null; }

# axe-core (npm, pinned by tests/axe/package-lock.json) for the browser accessibility test, which
# injects its axe.min.js into the page. Installed again only when missing or older than the lock.
AXE := tests/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/axe/package-lock.json
	@echo "installing axe-core for the accessibility test (npm ci in tests/axe)"
	npm ci --prefix tests/axe --no-audit --no-fund
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

audit: $(STAMP)
	$(BIN)/python tools/audit.py

unit: $(STAMP) chromium
	$(BIN)/python -m pytest -m "not browser"

browser: $(STAMP) chromium axe
	$(BIN)/python -m pytest -m browser

test: $(STAMP) chromium axe lint typecheck audit
	$(BIN)/python -m pytest

bench: $(STAMP) chromium
	$(BIN)/python -m benchmarks.run

loadtest: $(STAMP)
	$(BIN)/python -m benchmarks.loadtest

# Mutation testing (slow: about an hour on two cores; see tests/README.md). Pass M='pipeline.dates*' for one module.
mutation: $(STAMP)
	$(BIN)/mutmut run --max-children 2 $(M)
	$(BIN)/mutmut results --all true > mutants/results.txt || true
	$(BIN)/python tools/mutation_score.py

# Regenerate the pins from pyproject.toml (run after changing a dependency there).
constraints: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
	  -o constraints.txt --annotation-style line --custom-compile-command "make constraints" -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
