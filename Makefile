# fawen — two-command quick start: `make demo`, `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= $(abspath ../shared/data)
LAWREFBOOK ?= $(SHARED)/lawrefbook
QUESTION ?= 微信诽谤可以报警吗

.PHONY: demo test bench typecheck install browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,web-test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/fawen corpus build $(if $(wildcard $(LAWREFBOOK)/index.sqlite3),--source lawrefbook:$(LAWREFBOOK))
	$(BIN)/fawen corpus stats
	$(BIN)/fawen ask "$(QUESTION)"

# Debian chromium for the web-page tests; installed when missing and we are root (CI, fresh machines).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will skip"; }

test: install browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/build.py
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/check.py
	$(BIN)/python bench/answer.py
	$(BIN)/python bench/load.py

typecheck: install
	$(BIN)/pip install -q -e '.[typecheck]'
	$(BIN)/mypy fawen

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
