# cleanprod — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: install run test lint bench fonts system-deps lock messages vendor clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Serve the platform with reference and demo data at http://127.0.0.1:8000
run: install fonts
	$(BIN)/cleanprod migrate --noinput
	$(BIN)/cleanprod load_reference
	$(BIN)/cleanprod demo --if-empty
	@echo "cleanprod: http://$(HOST)/  (admin: create one with $(BIN)/cleanprod createsuperuser)"
	@# A background worker beside the web server (imports, e-mail, the daily clock, which runs at
	@# once if it has not run today); it stops when runserver does.
	@export CLEANPROD_BASE_URL="$${CLEANPROD_BASE_URL:-http://$(HOST)}"; \
	$(BIN)/cleanprod worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/cleanprod runserver $(HOST)

## The TrueType CJK font the PDF documents embed (Debian package fonts-wqy-zenhei).
fonts:
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] && [ -z "$$CLEANPROD_CJK_FONT" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; \
	  else echo "PDF documents need the Debian package fonts-wqy-zenhei (or CLEANPROD_CJK_FONT)"; fi; \
	fi

## Debian packages the tests need: Chromium for browser tests, CJK fonts for PDFs.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-wqy-zenhei >/dev/null; \
	  else echo "Install Debian packages chromium fonts-noto-cjk fonts-wqy-zenhei (needs root)"; exit 1; fi; \
	fi

## The whole test suite (SQLite unless DATABASE_URL is set), plus ruff and mypy.
test: install system-deps lint
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/cleanprod makemigrations --check --dry-run >/dev/null || \
	  (echo "models changed without a migration: run cleanprod makemigrations" && exit 1)
	$(BIN)/mypy

## Benchmarks (results go to docs/performance.md by hand, with machine and date).
bench: install
	$(BIN)/python bench/run.py

## Regenerate requirements.lock from pyproject.toml (needs network access to PyPI).
lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile pyproject.toml --extra dev \
	  --python-version 3.11 --generate-hashes --no-header -o requirements.lock

## Extract and compile UI translations (needs GNU gettext).
messages: install
	cd cleanprod && ../$(BIN)/cleanprod makemessages -l zh_Hans --no-obsolete \
	  --ignore 'static/*' --ignore 'core/*'
	cd cleanprod && ../$(BIN)/cleanprod compilemessages

## Refresh the vendored front-end assets from the npm registry.
vendor:
	bash scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) var
