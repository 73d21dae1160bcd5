# crosscheck-xblock: `make workbench` to try it, `make test` to test it (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12: under pyenv on the development machines, else whatever python3.12 is on PATH.
PYTHON312 ?= $(shell if command -v pyenv >/dev/null 2>&1 && PYENV_VERSION=3.12.1 pyenv which python3.12 >/dev/null 2>&1; then PYENV_VERSION=3.12.1 pyenv which python3.12; else command -v python3.12; fi)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
MANAGE := $(PY) workbench/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv install-workbench install-test system-deps workbench workbench-db quality translations test test-sqlite test-mariadb bench clean

help:
	@echo "make workbench   build everything and serve the workbench on http://$(HOST):$(PORT)"
	@echo "make test        install test dependencies, lint, and run every test (SQLite, MariaDB, browser)"
	@echo "make quality     lint the package, tests and benchmarks (ruff)"
	@echo "make translations  extract the marked strings into the en/ru catalogs and compile them"
	@echo "make bench       print benchmark numbers"
	@echo "make bench-scoring   grading policies and warning rules on simulated classes (about 2 min)"
	@echo "make bench-staff     the staff pages, exports and get_state at 10,000 works (3-6 min)"
	@echo "make bench-coverage  how many works end with k reviews, with and without extra reviews (1-3 min)"
	@echo "make bench-ora2  the block beside edx-ora2's peer step in one workbench, 1,000 and 10,000 learners"
	@echo "make bench-scale     grading 10,000 learners on MariaDB, Redis and 1 then 2 Celery workers (5-15 min)"
	@echo "make bench-load  200 simulated learners on gunicorn + MariaDB, then the grading under load (about 3 min)"
	@echo "make bench-all   every bench in turn, then one table of all their numbers (var/bench/ALL.md)"

$(PY):
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: install it or pass PYTHON312=/path/to/python3.12"; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PIP) install --upgrade pip

venv: $(PY)

# Stamp files re-run an install only when its pinned requirements change.
$(VENV)/.workbench-installed: $(PY) requirements/workbench.txt requirements/base.txt setup.py
	$(PIP) install -r requirements/workbench.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.workbench-installed requirements/test.txt | system-deps
	$(PIP) install -r requirements/test.txt
	touch $@

$(VENV)/.bench-installed: $(VENV)/.test-installed requirements/bench.txt
	$(PIP) install -r requirements/bench.txt
	touch $@

install-workbench: $(VENV)/.workbench-installed
install-test: $(VENV)/.test-installed
install-bench: $(VENV)/.bench-installed

# Debian packages the tests need: Chromium for the browser tests (Playwright cannot download
# browsers here) and the MariaDB client headers mysqlclient compiles against.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	pkg-config --exists libmariadb 2>/dev/null || pkg-config --exists mysqlclient 2>/dev/null || missing="$$missing libmariadb-dev pkg-config"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

workbench-db: install-workbench
	mkdir -p var
	$(MANAGE) migrate --run-syncdb -v 0
	$(MANAGE) crosscheck_demo

# Telegram in the demo (issue 14): the project's fake Bot API on TG_PORT, the webhook registered
# with it, and the deep links pointing at the workbench's stand-in phones (/phone/).
# `make workbench TELEGRAM=off` serves without it (in-app notices only).
TELEGRAM ?= on
TG_PORT ?= 8081
TG_ENV := CROSSCHECK_TELEGRAM_TOKEN=123456:FAKE-token_for-tests CROSSCHECK_TELEGRAM_BOT=crosscheck_fake_bot \
	CROSSCHECK_TELEGRAM_API_URL=http://127.0.0.1:$(TG_PORT)/bot CROSSCHECK_TELEGRAM_WEBHOOK_SECRET=workbench-webhook-secret \
	CROSSCHECK_LMS_ROOT_URL=http://$(HOST):$(PORT)
workbench: workbench-db
	@echo "Workbench: http://$(HOST):$(PORT)/  (learners: ?student=alice … ?student=oscar, staff: ?student=staff)"
ifeq ($(TELEGRAM),off)
	$(MANAGE) runserver $(HOST):$(PORT)
else
	@echo "Telegram (demo): fake Bot API on 127.0.0.1:$(TG_PORT); the learners' phones: http://$(HOST):$(PORT)/phone/"
	@$(PY) -m crosscheck_xblock.notifications.fake_bot_api --port $(TG_PORT) & fake=$$!; \
	trap 'kill $$fake 2>/dev/null' EXIT; \
	for i in $$(seq 50); do (echo > /dev/tcp/127.0.0.1/$(TG_PORT)) 2>/dev/null && break; sleep 0.1; done; \
	$(TG_ENV) $(MANAGE) crosscheck_telegram_poll --webhook http://127.0.0.1:$(PORT)/crosscheck/telegram/webhook/; \
	$(TG_ENV) $(MANAGE) runserver $(HOST):$(PORT)
endif

# ruff (pinned in requirements/test.in, settings in ruff.toml) over the package, the tests, the
# workbench and the benchmarks.
quality: install-test
	$(VENV)/bin/ruff check crosscheck_xblock tests workbench bench i18n_tools

# The catalogs (crosscheck_xblock/translations/<lang>/LC_MESSAGES/{text,djangojs}.po): new marked
# strings are added empty, gone ones dropped; then .mo and the JS catalogs are compiled. Write the
# Russian of every new entry in ru/…/*.po and run it again; `make test` fails while one is missing.
translations: install-test
	$(PY) -m i18n_tools.translations update
	$(PY) -m i18n_tools.translations compile

# Lint first, then the SQLite passes: everything except the tests that need a database shared by
# several connections or processes (races, the Celery worker), in two processes (pytest-xdist,
# one file per process at a time, each with its own database): the browser tests apart from the
# others, as Playwright's sync API leaves an event loop in its process that Django's database
# calls then refuse, and grouped (tests/browser/conftest.py: the files that share the workbench's
# own scenarios run in one process, in order). Then the database tests, those included, on MariaDB (the worker tests also
# need Redis on 127.0.0.1:6379): the shared-database ones alone, the rest in two processes (each
# on its own test database).
XDIST := -n 2 --dist loadfile
# install-bench: tests/unit/test_bench_all.py imports the load bench's locustfile (locust).
test: install-bench quality
	$(PY) -m pytest -m "not shared_db and not browser" $(XDIST)
	$(PY) -m pytest -m browser -n 2 --dist loadgroup
	CROSSCHECK_DB=mariadb $(PY) -m pytest -m "db and not shared_db" $(XDIST)
	CROSSCHECK_DB=mariadb $(PY) -m pytest -m shared_db

test-sqlite: install-bench
	$(PY) -m pytest -m "not shared_db and not browser" $(XDIST)
	$(PY) -m pytest -m browser -n 2 --dist loadgroup

test-mariadb: install-test
	CROSSCHECK_DB=mariadb $(PY) -m pytest -m "db and not shared_db" $(XDIST)
	CROSSCHECK_DB=mariadb $(PY) -m pytest -m shared_db

bench: install-test
	$(PY) bench/bench_distribution.py
	$(PY) bench/bench_handlers.py

# Grading policies, the reliability check, calibration and warning rules on simulated classes, and
# grade_all timings (about 2 min on 2 cores, 200 s of CPU).
.PHONY: bench-scoring
bench-scoring: install-test
	$(PY) bench/bench_scoring.py

# Extra reviews (issue 13): simulated cohorts (n x k x no-show share) played through the block's
# rule, with and without extras, the target and the rule variants (110 s of CPU: 1-3 min on 2 cores).
.PHONY: bench-coverage
bench-coverage: install-test
	$(PY) bench/bench_coverage.py

# The staff pages at 10,000 works (issue 15): staff_overview pages, analytics, appeals, the exports
# and a learner's get_state, time and queries; writes var/bench/staff.json. SQLite (a throwaway
# file), or CROSSCHECK_DB=mariadb (a database of its own, <CROSSCHECK_DB_NAME>_bench_staff). 3-6 min.
.PHONY: bench-staff
bench-staff: install-test
	$(PY) bench/bench_staff.py

# The block beside edx-ora2's peer assessment (issue 15) in one workbench: a virtualenv of its own
# (ora2 and its dependencies stay out of .venv), the workbench's pins plus ora2's
# (requirements/ora2.txt), the block editable. BENCH_ORA2_ARGS: e.g. "1000 --repeat 10 --profile".
VENV_ORA2 := .venv-ora2
PY_ORA2 := $(VENV_ORA2)/bin/python
BENCH_ORA2_ARGS ?= 1000 10000
$(PY_ORA2):
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: install it or pass PYTHON312=/path/to/python3.12"; exit 1; }
	$(PYTHON312) -m venv $(VENV_ORA2)
	$(PY_ORA2) -m pip --disable-pip-version-check -q install --upgrade pip

$(VENV_ORA2)/.installed: $(PY_ORA2) requirements/ora2.txt requirements/workbench.txt requirements/base.txt setup.py
	$(PY_ORA2) -m pip --disable-pip-version-check -q install -r requirements/ora2.txt
	$(PY_ORA2) -m pip --disable-pip-version-check -q install --no-deps -e .
	touch $@

.PHONY: bench-ora2
bench-ora2: $(VENV_ORA2)/.installed
	$(PY_ORA2) bench/bench_ora2.py $(BENCH_ORA2_ARGS)

# Grading at scale on Celery (issue 15): MariaDB (its own database, CROSSCHECK_DB_NAME, default
# crosscheck_bench_scale, dropped afterwards), Redis on 127.0.0.1:6379 and real worker processes
# (celery -A cc_celery); 10,000 learners x 4 reviews with 1 then 2 workers. Writes var/bench/scale.json.
.PHONY: bench-scale
bench-scale: install-test
	$(PY) bench/bench_scale.py

# The workbench under load (issue 15): gunicorn (pinned, requirements/bench.in) on MariaDB
# (127.0.0.1:3306, database cc_bench_load, made anew), 200 locust learners for 60 s, then
# staff_complete under the same load (bench/bench_load.py; BENCH_LOAD_SECONDS, BENCH_LOAD_USERS …).
.PHONY: install-bench bench-load bench-all
bench-load: install-bench
	$(PY) bench/bench_load.py

# Every bench target in turn, then one table of every number they wrote to var/bench/*.json,
# with the cores, the date and the commit (also as markdown: var/bench/ALL.md).
bench-all: install-bench
	$(PY) bench/bench_all.py

clean:
	rm -rf $(VENV) $(VENV_ORA2) var .pytest_cache test-artifacts
