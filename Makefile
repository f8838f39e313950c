# Two promises (README): `make run` sets everything up and serves the site on
# http://127.0.0.1:8000 (SQLite); `make test` sets everything up and runs the whole suite.
# Every step is idempotent: running it again changes and loses nothing.
# The Dockerfile runs the same steps (install, static, messages) at build time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMPS := .stamps

.PHONY: run test setup setup-dev static messages migrate demo admin bench mutate lint check clean prod prodcheck

run: setup migrate demo admin
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup-dev
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMPS)/python $(STAMPS)/node static messages
setup-dev: setup $(STAMPS)/python-dev

# The interpreter itself is the target: deleting .venv rebuilds it and reinstalls everything.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMPS)/python: $(PY) requirements.txt
	@mkdir -p $(STAMPS)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(STAMPS)/python-dev: $(STAMPS)/python requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(STAMPS)/node: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

# Bootstrap from node_modules into site/static/vendor/ (git-ignored).
static: $(STAMPS)/node
	npm run --silent build

# French and English catalogues, compiled with Babel (no GNU gettext needed).
messages: $(STAMPS)/python
	$(BIN)/pybabel compile --domain django --directory locale --statistics

migrate: $(STAMPS)/python
	$(PY) manage.py migrate --no-input

# Loads the demo content only when the database has no page of ours yet.
demo: migrate
	$(PY) manage.py load_demo_content --if-empty
	$(PY) manage.py load_demo_members --if-empty
	$(PY) manage.py load_demo_volunteering --if-empty
	$(PY) manage.py load_demo_awards --if-empty
	$(PY) manage.py load_demo_legal --if-empty
	$(PY) manage.py load_demo_impact --if-empty

# Makes sure an admin account exists (ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password
# printed once).
admin: migrate
	$(PY) manage.py ensure_admin

# The production topology on this machine (README, « Production sur une machine ») : Caddy on
# https://127.0.0.1:8443 in front of two gunicorn servers, the task worker and the scheduler,
# on PostgreSQL and Redis (127.0.0.1, as on CI). PROD_ARGS=--s3 puts the media on moto's S3.
prod: setup
	$(PY) -m deploy.prod $(PROD_ARGS)

# Starts that topology on fresh data (database ess_prodcheck, Redis database 2, moto's S3) and
# proves it: one site across two app servers, load with faults (PostgreSQL restarted, Redis
# stopped, SMTP and object storage down, an app server killed), nothing lost. It restarts this
# machine's PostgreSQL and Redis. PRODCHECK_MINUTES=10 for a full run (3 by default).
prodcheck: setup-dev
	$(PY) -m deploy.prodcheck

bench: setup-dev
	$(PY) -m bench

# Mutation testing of the money and access paths ([tool.mutmut] in pyproject.toml; README,
# « Tests de mutation »). Long, so not part of `make test`. It runs on SQLite: each pytest session
# starts from a copy of one migrated database (tests/conftest.py). MUTANTS="members.webhooks*"
# limits the run; results are kept in mutants/ and a new run re-tests only what changed.
MUTATION_DB := $(CURDIR)/test-artifacts/mutation-template.sqlite3
mutate: setup-dev
	@mkdir -p test-artifacts
	rm -f $(MUTATION_DB)
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite:///$(MUTATION_DB) \
		$(PY) manage.py migrate --no-input --verbosity 0
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite:///$(MUTATION_DB) \
		MUTATION_TEMPLATE_DB=$(MUTATION_DB) $(BIN)/mutmut run $(MUTANTS)
	$(PY) -m tests.mutation_report

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: setup-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(STAMPS) site/static/vendor staticfiles test-artifacts
