# Service Scorecard — the two commands a new user needs: `make demo` and `make test`.
# Only Python 3.11+, make and the system Pango libraries are assumed; uv is
# bootstrapped into .tools/ when it is not on PATH, and it builds .venv from uv.lock.

PYTHON ?= python3
UV_VERSION ?= 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen --no-sync

.PHONY: demo test bench bench-quick env clean help

help:
	@echo "make demo   - build the environment, generate demo exports, render the latest monthly PDF"
	@echo "make test   - run the whole test suite"
	@echo "make bench  - run the benchmarks (make bench-quick for a small variant)"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode is compiled at install: with PYTHONDONTWRITEBYTECODE set (as here, and in many
# container images) Python would otherwise compile every imported module on every start
# (Great Expectations alone: seconds per process).
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

env: .venv/.synced

demo: .venv/.synced
	@$(RUN) scorecard demo

test: .venv/.synced
	$(RUN) pytest

bench: .venv/.synced
	$(RUN) python -m benchmarks.run

bench-quick: .venv/.synced
	$(RUN) python -m benchmarks.run --quick

clean:
	rm -rf .venv .tools demo out var
