# One command per job; each installs what it needs into .venv first.
#   make site    check the content and build the site into site/
#   make serve   preview with live reload on http://127.0.0.1:8000
#   make test    lint and the whole test suite
#   make check   validate the content only
#   make install set up .venv only (CI and the pre-commit hook use it)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Material prints an end-of-life banner on every run; the README says what we plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site serve test check lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

# Stamps: reinstall only when the pinned requirements change.
$(VENV)/.site-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements-dev.txt $(VENV)/.site-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.site-installed

site: $(VENV)/.site-installed
	$(BIN)/explainer build
	@echo "Preview it with live reload: make serve  (then open http://127.0.0.1:8000)"

serve: $(VENV)/.site-installed
	$(BIN)/explainer serve

check: $(VENV)/.site-installed
	$(BIN)/explainer check

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The whole suite on content/, then the tests marked `story` once more on each
# fixture story (EXPLAINER_STORY): proof that the suite passes with content/
# replaced by another story. Any failure stops make, and so does pytest's exit
# status 5 (no test collected), as every non-zero status does.
FIXTURE_STORIES := $(sort $(wildcard tests/fixtures/*/content))

test: lint
	$(BIN)/pytest
	@test -n "$(FIXTURE_STORIES)" || { echo "make test: no story in tests/fixtures/*/content" >&2; exit 1; }
	@for story in $(FIXTURE_STORIES); do \
		echo "EXPLAINER_STORY=$$story $(BIN)/pytest -m story"; \
		EXPLAINER_STORY=$$story $(BIN)/pytest -m story || exit $$?; \
	done

clean:
	rm -rf $(VENV) site build .pytest_cache .ruff_cache
