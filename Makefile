# Newsdesk — every task a newcomer or CI needs, from a machine with only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: dist run test lint format messages compilemessages migrate demo e2e bench bench-live fuzz load faults clean setup kk-admin-update

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11+"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[site]" --group dev
	@touch $(STAMP)

setup: $(STAMP) compilemessages

compilemessages: $(STAMP)
	$(MANAGE) compile_translations

migrate: setup
	$(MANAGE) migrate --noinput

# make run serves 127.0.0.1:$(PORT): the Site record (canonical, hreflang and sitemap URLs,
# the admin's preview links) and the admin's own links say so.
SITE_ENV := NEWSDESK_SITE_HOSTNAME=127.0.0.1 NEWSDESK_SITE_PORT=$(PORT) WAGTAILADMIN_BASE_URL=http://127.0.0.1:$(PORT)

demo: migrate
	@$(SITE_ENV) $(MANAGE) load_demo

# The web server and the task worker (scheduled publishing, search index): one command,
# and Ctrl-C stops both. The development server reloads on code changes, the worker does
# not (a task cut off half-way is worse than a restart).
run: demo
	@echo ""
	@echo "  Newsdesk is running at http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (user: admin, password: newsdesk-demo)"
	@echo "  With its task worker: stories scheduled in the admin go live on time."
	@echo "  Ctrl-C stops both."
	@echo ""
	@$(SITE_ENV) $(MANAGE) newsdesk_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(SITE_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

# --dist loadgroup: a module that shares one costly fixture (tests/test_distribution.py's
# built wheel and venv) runs on one worker; every other test is spread as before.
test: setup
	$(BIN)/pytest -q -n 2 --dist loadgroup --durations=25

# The distribution: sdist and wheel in dist/, both checked by twine (make dist DIST=dir).
DIST ?= dist
dist: $(STAMP)
	rm -rf $(DIST)/wagtail_newsdesk-*
	$(BIN)/python -m build --outdir $(DIST) .
	$(BIN)/twine check --strict $(DIST)/wagtail_newsdesk-*

e2e: setup
	$(BIN)/pytest -q tests/e2e -m e2e -p no:randomly

bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Live blog pollers (issue 30): docs/benchmarks.md.
bench-live: setup
	$(BIN)/python bench/live.py $(BENCH_ARGS)

# Reliability (issue 9): API fuzzing, load with concurrent publishing, faults (PostgreSQL).
fuzz: setup
	$(BIN)/pytest -q -m fuzz tests/reliability/test_fuzz_api.py

load: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(BIN)/python bench/load_publish.py $(LOAD_ARGS)

faults: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(BIN)/python bench/faults.py $(FAULTS_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(MANAGE) makemessages -l kk -l ru -l en --ignore=.venv --ignore=clients --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --ignore=kazakh_admin --no-obsolete
	$(MANAGE) makemessages -d djangojs -l kk -l ru -l en --ignore=.venv --ignore=clients --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --ignore=kazakh_admin --no-obsolete

# The admin's Kazakh catalogues (kazakh_admin/, issue 15): after a Wagtail or
# wagtail-localize upgrade, merge their new msgids in and list what is untranslated.
kk-admin-update: $(STAMP)
	$(MANAGE) kazakh_admin_catalogue --update
	$(MANAGE) compile_translations

clean:
	rm -rf $(VENV) var db.sqlite3
