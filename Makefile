# Carnet: everyday commands. `make help` lists them. Needs only Python 3.11+ and make.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Rewritten after each successful install: a newer pyproject.toml or constraints file reinstalls.
INSTALLED := $(VENV)/.installed
# Extra arguments: make test PYTEST_ARGS="-k journal -x", make bench BENCH_ARGS=--verbose
PYTEST_ARGS ?=
BENCH_ARGS ?=
# Where `make demo` serves (make demo DEMO_ADDRESS=127.0.0.1:8001 if 8000 is taken).
DEMO_ADDRESS ?= 127.0.0.1:8000
DEMO_HOST = $(word 1,$(subst :, ,$(DEMO_ADDRESS)))
DEMO_PORT = $(word 2,$(subst :, ,$(DEMO_ADDRESS)))
# pytest takes its settings from pyproject.toml (docs_platform.settings.test); an exported
# DJANGO_SETTINGS_MODULE would win over it, so it is dropped for the tests.
PYTEST := env -u DJANGO_SETTINGS_MODULE $(BIN)/pytest
# For checks that read code, not data: an in-memory database, so nothing touches db.sqlite3.
CODE_CHECK_ENV := DATABASE_URL=sqlite://

.PHONY: help venv install messages makemessages migrate demo test test-postgres test-opensearch bench \
	bench-search bench-prompt bench-load bench-markdown bench-http bench-lighthouse lint format \
	clean node-install screenshots _pytest-on-postgres

help: ## List the targets
	@echo "Usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-15s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

$(PY):
	$(PYTHON) -m venv $(VENV)

venv: $(PY) ## Create the virtualenv in .venv with python3 -m venv, if missing

$(INSTALLED): pyproject.toml requirements/constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev,postgres]'
	@touch $@

install: $(INSTALLED) ## Install Carnet and its dev/postgres dependencies into .venv (pinned)

# axe-core (the accessibility test) and Lighthouse, pinned by package-lock.json; Chromium is
# Debian's. Without npm the accessibility test is skipped (it fails in CI, which installs npm).
# npm ci rewrites node_modules/.package-lock.json, hence the touch.
NODE_INSTALLED := node_modules/.package-lock.json
$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found (apt-get install npm): the accessibility test will be skipped"; fi

node-install: $(NODE_INSTALLED) ## Install axe-core and Lighthouse from npm into node_modules (pinned)

messages: install ## Compile the translation catalogues (.po -> .mo) with polib
	$(MANAGE) compile_translations

makemessages: install ## Update locale/*/LC_MESSAGES/django.po from the code (needs GNU gettext)
	@command -v xgettext >/dev/null && command -v msgmerge >/dev/null || { \
		echo "makemessages needs GNU gettext (xgettext, msgmerge): apt-get install gettext," \
			"brew install gettext"; exit 1; }
	$(MANAGE) makemessages -l fr -l en --no-location --extension=html,txt,py,md \
		--ignore=.venv --ignore=staticfiles --ignore=media --ignore=tests --ignore=bench --ignore=scripts

migrate: install ## Apply database migrations (dev settings, db.sqlite3 or DATABASE_URL)
	$(MANAGE) migrate --noinput

demo: install messages migrate ## Load the demo data, print its logins, serve on 127.0.0.1:8000
	@# Indexed as it is written, so search works from the first page served. DEMO_ADDRESS makes
	@# the printed links and those in e-mails point where the demo is served.
	DEMO_ADDRESS=$(DEMO_ADDRESS) CARNET_TASKS=immediate $(MANAGE) load_demo_data
	@echo
	@echo "Demo logins are listed above. Serving http://$(DEMO_ADDRESS)/ (Ctrl-C to stop)."
	@echo "Watch the prompt live: open a kiosk link from a machine's page, then run"
	@echo "  $(MANAGE) simulate_machine_job trotec-speedy-300 --minutes 3 --base-url http://$(DEMO_ADDRESS)"
	@# ASGI (uvicorn), so the kiosk and the job banner stream their updates; beside it the task
	@# worker sends the e-mails and indexes search (started again if it stops on a database
	@# error). Ctrl-C (or uvicorn stopping) stops both.
	export DJANGO_SETTINGS_MODULE=docs_platform.settings.dev DEMO_ADDRESS=$(DEMO_ADDRESS); \
	( trap 'kill $$child 2>/dev/null; exit' TERM; while true; do \
		$(MANAGE) db_worker --no-reload --interval 0.2 & child=$$!; wait $$child; sleep 2; done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/uvicorn docs_platform.asgi:application --host $(DEMO_HOST) --port $(DEMO_PORT)

# Every step runs even when an earlier one fails, so one run reports every problem.
test: install messages node-install ## Lint, format check, Django checks, migrations check, then pytest
	@failed=(); \
	step() { echo "+ $$*"; "$$@" || failed+=("$$*"); }; \
	step $(BIN)/ruff check .; \
	step $(BIN)/ruff format --check .; \
	step env $(CODE_CHECK_ENV) $(MANAGE) check --fail-level WARNING; \
	step env $(CODE_CHECK_ENV) $(MANAGE) makemigrations --check --dry-run; \
	step $(PYTEST) $(PYTEST_ARGS); \
	if (( $${#failed[@]} )); then \
		echo; echo "make test: $${#failed[@]} step(s) failed (every step ran):"; \
		printf '  %s\n' "$${failed[@]}"; exit 1; \
	fi; \
	echo; echo "make test: every step passed"

test-postgres: install messages node-install ## Run pytest against a throwaway PostgreSQL cluster
	scripts/with-postgres.sh $(MAKE) _pytest-on-postgres

# Called by test-postgres inside the cluster: refuses to run anywhere but on PostgreSQL.
_pytest-on-postgres:
	@DJANGO_SETTINGS_MODULE=docs_platform.settings.test $(MANAGE) shell --verbosity 0 -c \
		"from django.db import connection as c; c.ensure_connection(); \
		assert c.vendor == 'postgresql', 'not PostgreSQL: ' + c.vendor; v = c.pg_version; \
		print(f'Testing on PostgreSQL {v // 10000}.{v % 10000} at', c.settings_dict['HOST'])"
	$(PYTEST) $(PYTEST_ARGS)

# The search suite on a real OpenSearch: the test modules that need a server (the database suite
# again, the shared table of expected results, a three-node cluster, reindexing), on SQLite.
OPENSEARCH_TESTS := tests/search/test_search_server.py tests/search/test_opensearch_cluster.py
test-opensearch: install messages ## Run the search suite on a throwaway OpenSearch node (Maven, Java 21+)
	scripts/with-opensearch.sh $(PYTEST) $(OPENSEARCH_TESTS) $(PYTEST_ARGS)

bench: install messages ## Print the SQL query counts of a project page (1 and 500 entries)
	$(PY) bench/page_queries.py $(BENCH_ARGS)

bench-search: install messages ## Time /search/ on PostgreSQL: 210,000 documents, 50 French queries
	scripts/with-postgres.sh sh -c '$(PY) bench/search.py --database-url "$$DATABASE_URL" $(BENCH_ARGS)'

bench-prompt: install messages ## Latency from a job event to 50 open kiosks (p50/p95)
	$(PY) bench/prompt_latency.py $(BENCH_ARGS)

# Both runs always happen; the target fails if either misses its targets.
bench-load: install messages ## Mixed load on SQLite, then PostgreSQL (restarted once): 5xx, losses
	@status=0; \
	$(PY) bench/load.py $(BENCH_ARGS) || status=1; \
	scripts/with-postgres.sh sh -c '$(PY) bench/load.py --database-url "$$DATABASE_URL" $(BENCH_ARGS)' \
		|| status=1; \
	exit $$status

bench-markdown: install ## Worst cold render time of each Markdown field at its maximum size
	$(PY) bench/markdown_render.py $(BENCH_ARGS)

# gunicorn comes with the `production` extra; wrk and nginx (with its cache-purge module) from
# Debian, installed as .ci/run installs its servers. The peer: BENCH_ARGS="--bakerydemo DIR".
bench-http: install messages ## Carnet under wrk (gunicorn), then nginx's cache vs static files
	@$(PY) -c 'import gunicorn' 2>/dev/null || \
		$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev,postgres,production]'
	@missing=(); command -v wrk >/dev/null || missing+=(wrk); \
	[[ -x /usr/sbin/nginx ]] || missing+=(nginx); \
	[[ -f /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ]] || \
		missing+=(libnginx-mod-http-cache-purge); \
	if (( $${#missing[@]} )); then \
		echo "installing: $${missing[*]}"; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends "$${missing[@]}"; \
	fi
	$(PY) bench/http_pages.py $(BENCH_ARGS)

bench-lighthouse: install messages node-install ## Lighthouse (mobile) on home and a project page, production settings
	@$(PY) -c 'import gunicorn' 2>/dev/null || \
		$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev,postgres,production]'
	$(PY) bench/lighthouse.py $(BENCH_ARGS)

screenshots: install messages ## Take docs/screenshots/ again (phone and desktop, French) from the demo data
	$(PY) scripts/screenshots.py

lint: install ## Check code with ruff (lint and formatting), changing nothing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format code and apply safe lint fixes with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove caches and generated files (keeps .venv, db.sqlite3 and media/)
	rm -rf .pytest_cache .ruff_cache .test-media staticfiles bench/output build *.egg-info
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
