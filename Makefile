# Two commands matter: `make dev` serves the API locally, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLIENT_STAMP := .venv-client/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install dev test lint typecheck security pytest fuzz bench load infra-check clean openapi client client-tools lock

help:
	@echo "make dev    - bootstrap and serve the API on http://127.0.0.1:8000 (embedded AWS + AI emulators)"
	@echo "make test   - bootstrap and run ruff, mypy, the offline infra checks and the whole test suite"
	@echo "make openapi - regenerate the committed openapi.json from the app"
	@echo "make client  - generate a typed Python client from openapi.json into clients/python (ignored)"
	@echo "make fuzz   - the full schemathesis run over the OpenAPI"
	@echo "make bench  - benchmarks against the stack's own floor; writes BENCHMARKS.md"
	@echo "make load   - a short load test against a local dev server"

# Python is checked first, in one line; a failed install removes the half-built .venv.
$(STAMP): pyproject.toml requirements/dev.lock
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "Python >= 3.11 needed, found %d.%d" % v[:2])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned dev set into $(VENV) (first run: a minute or two)..."
	@{ $(PY) -m pip install --progress-bar on --upgrade "pip>=24" \
		&& $(PY) -m pip install --progress-bar on -r requirements/dev.lock \
		&& $(PY) -m pip install -q --no-deps -e . ; } 2>&1 | grep -v "^WARNING: Location" ; \
		status=$${PIPESTATUS[0]}; if [ $$status -ne 0 ]; then rm -rf $(VENV); \
		echo "Install failed; removed $(VENV). Fix the error above and run make again."; exit $$status; fi
	@touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	$(PY) -m app.local serve

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) $(CLIENT_STAMP)
	$(PY) -m pytest

# openapi-python-client has its own venv (its pins clash with the dev set), from client.lock.
$(CLIENT_STAMP): requirements/client.lock
	@test -x .venv-client/bin/python || $(PYTHON) -m venv .venv-client
	.venv-client/bin/python -m pip install -r requirements/client.lock
	@touch $(CLIENT_STAMP)

client-tools: $(CLIENT_STAMP)

# Regenerate runtime.lock and dev.lock from pyproject.toml with uv (pinned, with hashes), keeping
# current pins where they still fit, then install each into a scratch venv to prove it resolves.
# image.lock (what the Dockerfile installs) is runtime.lock minus the packages the code never
# imports (scripts/image_lock.py says which and why); it installs with --no-deps, and `pip check`
# may report only those missing.
LOCK_STAMP := .venv-lock/.installed

$(LOCK_STAMP):
	@test -x .venv-lock/bin/python || $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install "uv==0.13.8"
	@touch $(LOCK_STAMP)

lock: $(LOCK_STAMP)
	.venv-lock/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--quiet -o requirements/runtime.lock
	.venv-lock/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--quiet -o requirements/dev.lock
	$(PYTHON) scripts/image_lock.py
	@for lock in runtime dev; do \
		rm -rf .venv-lockcheck && $(PYTHON) -m venv .venv-lockcheck && \
		.venv-lockcheck/bin/python -m pip install --require-hashes --no-deps \
			-r requirements/$$lock.lock && \
		.venv-lockcheck/bin/python -m pip check && echo "$$lock.lock installs" || exit 1; \
	done
	rm -rf .venv-lockcheck && $(PYTHON) -m venv .venv-lockcheck && \
		.venv-lockcheck/bin/python -m pip install --require-hashes --no-deps \
			-r requirements/image.lock && \
		$(PYTHON) scripts/image_lock.py --pip-check .venv-lockcheck/bin/python
	rm -rf .venv-lockcheck

# The committed OpenAPI document; a test fails when it drifts from the app.
openapi: $(STAMP)
	$(PY) scripts/export_openapi.py

client: $(CLIENT_STAMP)
	PATH="$(CURDIR)/.venv-client/bin:$$PATH" .venv-client/bin/openapi-python-client generate \
		--path openapi.json --output-path clients/python --overwrite --meta setup
	@du -sh clients/python

security: $(STAMP)
	$(VENV)/bin/bandit -r app -q --severity-level medium --confidence-level medium

# Offline checks of infra/, the Dockerfile and the workflows (scripts/infra-check.sh). The
# linters that clash with the dev set (checkov) live in their own venv, from tools.lock.
TOOLS_STAMP := .venv-tools/.installed

$(TOOLS_STAMP): requirements/tools.lock
	@test -x .venv-tools/bin/python || $(PYTHON) -m venv .venv-tools
	.venv-tools/bin/python -m pip install -q -r requirements/tools.lock
	@touch $(TOOLS_STAMP)

infra-check: $(STAMP) $(TOOLS_STAMP)
	bash scripts/infra-check.sh

test: lint typecheck security pytest infra-check

# The full schemathesis run: every operation, >= 100 examples each, pinned seed.
fuzz: $(STAMP)
	FUZZ_MAX_EXAMPLES=100 $(PY) -m pytest tests/reliability/test_fuzz.py

# Every benchmark beside its floor, interleaved; prints the table and writes BENCHMARKS.md.
bench: $(STAMP)
	$(PY) bench/run.py

# 16 clients, 3,000 mixed requests against a dev server it starts on loopback (or LOAD_BASE_URL).
load: $(STAMP)
	$(PY) scripts/load_test.py

# Operations (issue 19; docs/operations.md). ARGS passes options through, e.g.
# make smoke ARGS="--base-url http://127.0.0.1:8000 --register --email smoke@example.com --password Smoke-Passw0rd!"
.PHONY: cost redrive smoke
cost: $(STAMP)
	$(PY) scripts/cost.py
redrive: $(STAMP)
	$(PY) scripts/redrive.py $(ARGS)
smoke: $(STAMP)
	$(PY) scripts/smoke.py $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
