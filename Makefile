# The developer loop. `make serve` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Used when they answer; the tests skip those parts with a one-line reason when not.
export COMMENTDESK_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export COMMENTDESK_TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: serve test lint format typecheck clean bench-triage bench-worst bench-import messages

# axe-core (npm) for the accessibility browser tests, pinned by tests/browser/package-lock.json,
# and oidc-provider, the OpenID provider the single sign-on tests start (tests/sso/package-lock.json);
# without npm those tests skip with a one-line reason (unless COMMENTDESK_REQUIRE_BROWSER=1).
NPM_TESTS := tests/browser tests/sso
$(STAMP): pyproject.toml $(NPM_TESTS:%=%/package-lock.json)
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@$(BIN)/pip install --quiet -e '.[dev]'
	@if command -v npm >/dev/null 2>&1; then \
	  for dir in $(NPM_TESTS); do npm ci --prefix $$dir --no-audit --no-fund --silent || exit 1; done; \
	  else echo "npm not found: axe-core and oidc-provider not installed, their tests will skip"; fi
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/commentdesk serve --demo

# ruff, then the layers (pyproject's [tool.importlinter], drawn in docs/architecture.md).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Lint, types, bandit (docs/bandit.md), then the whole suite with the coverage gate.
test: lint typecheck
	$(BIN)/bandit -q -r src -c pyproject.toml
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

# The unseen set's dev and test parts and the authored set, each replayed through a desk on a
# fresh SQLite file. Tune on `--part dev` (add --show-errors); `--write` alone writes
# bench/results-triage.md, so test figures are never written by accident.
bench-triage: $(STAMP)
	$(BIN)/python bench/triage_eval.py

# Adversarial 5,000-character bodies through Triage.assess: issue 14's inputs, a catalogue
# of pathological shapes and a hypothesis search for slower ones; writes
# bench/results-worst-case.md (about 2 minutes; budget 50 ms per body).
bench-worst: $(STAMP)
	$(BIN)/python bench/worst_case.py --output bench/results-worst-case.md

# A generated Disqus export of 1,000,000 comments: time and peak memory of the import.
bench-import: $(STAMP)
	$(BIN)/python bench/import_bench.py

# Catalogs: extract the marked strings (babel.cfg) into the template, merge it into each
# language's .po (new strings arrive untranslated, changed ones fuzzy), then compile each
# to check it and count what is translated. The app compiles the .po files itself when it
# starts (commentdesk/i18n.py), so no .mo is kept: nothing generated can go stale.
LOCALE := src/commentdesk/locale
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg --sort-output --add-location=file \
	  --project=commentdesk --copyright-holder="commentdesk contributors" \
	  -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel --quiet update -i $(LOCALE)/messages.pot -d $(LOCALE) --ignore-obsolete
	@for po in $(LOCALE)/*/LC_MESSAGES/messages.po; do \
	  printf '%s: ' "$$po"; $(BIN)/pybabel compile --statistics -i "$$po" -o /dev/null 2>&1 | head -n 1; \
	done

# Lighthouse (npm, pinned in bench/lighthouse/; Node 20) with Debian's Chromium on the reader's
# page in English and Korean and the console's queue; writes bench/results-lighthouse.md
# (about 2 minutes; not part of `make test`).
.PHONY: bench-lighthouse
bench-lighthouse: $(STAMP)
	npm ci --prefix bench/lighthouse --no-audit --no-fund
	cd bench && ../$(BIN)/python lighthouse.py

# Side by side with Isso 0.14.0 and nginx, the scale curve to 1,000,000 comments on SQLite
# and PostgreSQL, and assess() at 10k vs 1M prior comments: writes bench/results.md
# (about 25 minutes; not part of `make test`). Needs Debian's nginx and wrk.
.PHONY: bench bench-triage-scale bench-assess
bench: $(STAMP)
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq nginx wrk)
	cd bench && ../$(BIN)/python run.py

bench-triage-scale: $(STAMP)
	cd bench && ../$(BIN)/python run.py --skip-compare --skip-scale --skip-assess \
		--output results-triage-scale.md

# Issue 14: time from a post's 202 to its full assessment, 20 posts a second for 60 s on
# SQLite (bench/assess_latency.py); writes bench/results-assess.md (about 2 minutes).
# The worker's per-comment assessment cost at 10,000 and 1,000,000 prior comments, the
# semantic index included (bench/semantic_scale.py); writes bench/results-semantic.md
# (building the 1,000,000-comment database takes several minutes, then it is cached).
.PHONY: bench-semantic
bench-semantic: $(STAMP)
	cd bench && ../$(BIN)/python semantic_scale.py

bench-assess: $(STAMP)
	cd bench && ../$(BIN)/python run.py --skip-compare --skip-scale --skip-triage \
		--output results-assess.md

# The slow half of tests/reliability with the whole hostile corpus, schemathesis at 50
# examples per operation, disk full / PostgreSQL restart / kill -9, then a 10-minute soak on
# SQLite and one on PostgreSQL; writes docs/reliability.md (about 40 minutes).
.PHONY: reliability
reliability: $(STAMP)
	$(BIN)/python bench/reliability/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov test-artifacts
