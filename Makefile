# The developer loop. `make serve` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Used when they answer; the tests skip those parts with a one-line reason when not.
export COMMENTDESK_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export COMMENTDESK_TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: serve test lint format typecheck clean bench-triage bench-import

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/commentdesk serve --demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Lint, types, then the whole suite with the coverage gate.
test: lint typecheck
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

bench-triage: $(STAMP)
	$(BIN)/python bench/triage_eval.py

# A generated Disqus export of 1,000,000 comments: time and peak memory of the import.
bench-import: $(STAMP)
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov test-artifacts
