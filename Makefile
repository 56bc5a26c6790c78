# Two commands on a fresh machine: `make demo` and `make test`. Both create or reuse .venv and
# install what they need (pip; apt for chromium and postgresql) by themselves.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export SCOBANK_HOME ?= $(CURDIR)/var

.PHONY: demo test venv lint pytest test-postgres system-deps serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests need: chromium (browser tests), postgresql (the PostgreSQL pass), Java 17 (Spark).
system-deps:
	@bash scripts/system-deps.sh

demo: $(STAMP)
	$(BIN)/scobank demo --port $(PORT)

serve: $(STAMP)
	$(BIN)/scobank serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

# The database-touching tests again, on a throwaway PostgreSQL started (and stopped) by the script.
test-postgres: $(STAMP)
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -n 2 --dist loadfile -q -m db

test: $(STAMP) system-deps lint pytest test-postgres

clean:
	rm -rf var test-artifacts
