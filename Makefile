# Rundbrief — Pelican's quickstart Makefile conventions, plus test, lint and our own targets.
PY ?= python3
VENV = .venv
BIN = $(VENV)/bin
PELICAN = $(BIN)/pelican
STAMP = $(VENV)/.requirements.sha256

BASEDIR = $(CURDIR)
INPUTDIR = $(BASEDIR)/content
OUTPUTDIR = $(BASEDIR)/output
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py

PELICANOPTS ?=
PORT ?= 8000
BIND ?= 127.0.0.1
PYTEST_ARGS ?=
# Two pytest workers (pytest-xdist), one test file each at a time: module fixtures are built
# once, and no two tests of one file run at the same moment. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

.DEFAULT_GOAL := help

help:
	@echo 'Rundbrief — make targets'
	@echo ''
	@echo '  make html          build the site into output/ (sets up .venv on first use)'
	@echo '  make test          run the test suite (sets up .venv on first use)'
	@echo '  make test-quick    the quick part of the tests: no site builds, no browser'
	@echo '  make lint          ruff check, ruff format --check and the import contracts'
	@echo '  make audit         Lighthouse (mobile) on six pages: 100 in every category, or it fails'
	@echo '  make clean         remove output/ and the Pelican cache'
	@echo '  make regenerate    rebuild on every change (no server)'
	@echo '  make serve         serve output/ at http://$(BIND):$(PORT)/'
	@echo '  make devserver     rebuild on save, serve and reload the browser at http://$(BIND):$(PORT)/'
	@echo '  make publish       strict build with publishconf.py (fails on any content warning)'
	@echo '  make newsletter    build, show the newest digest, write a preview .eml to var/outbox/'
	@echo '  make newsletter-server   run the reader service with gunicorn (127.0.0.1:8025)'
	@echo '  make newsletter-outbox   send the mails due in the service outbox now'
	@echo '  make newsletter-send     send a digest [ISSUE=2026-kw48] [DRY_RUN=1] [SETTINGS=publishconf.py]'
	@echo '  make newsletter-import   take over confirmed subscribers: CSV=liste.csv'
	@echo '  make newsletter-cleanup  delete sign-ups unconfirmed for 30 days'
	@echo '  make comments      list comments waiting for approval (comment-approve/-spam/-delete ID=…)'
	@echo '  make import        import a WordPress export: WXR=export.xml'
	@echo '  make bench         build benchmark (plain Pelican vs. Rundbrief) [N=1000]'
	@echo '  make venv          (re)create .venv from requirements.txt'
	@echo ''

# .venv is rebuilt whenever requirements.txt changes (its checksum is kept in $(STAMP)).
venv: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "Installing pinned requirements into $(VENV) …"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@sha256sum requirements.txt > $(STAMP)

html: $(STAMP)
	$(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

clean:
	[ ! -d "$(OUTPUTDIR)" ] || rm -rf "$(OUTPUTDIR)"
	rm -rf "$(BASEDIR)/cache"

regenerate: $(STAMP)
	$(PELICAN) -r "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

serve: $(STAMP)
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND) $(PELICANOPTS)

# Rebuild on save (incremental) and reload the browser (plugins/engine/devserver.py; the
# reload script is only added by this server, never written to output/).
devserver: $(STAMP)
	PYTHONPATH=plugins:. $(BIN)/python -m engine.devserver "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND) $(PELICANOPTS)

publish: $(STAMP)
	$(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)" $(PELICANOPTS)

# Test-only tools from npm (axe-core for the browser tests), installed when npm exists.
NODE_STAMP = node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm fehlt: die Browser-Tests werden übersprungen (apt-get install -y npm)"; \
	fi

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# Lighthouse (npm, pinned in package.json) with Debian's Chromium against output/ on 127.0.0.1:
# home, reference article, a tag page, /suche/, /newsletter/ and a digest; fails below 100.
audit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m tests.support.audit

# Build benchmark (not a test): make bench, or make bench N=1000 for one size.
N ?= 1000 5000
bench: $(STAMP)
	$(BIN)/python bench/build_bench.py --sizes $(N)

# Newsletter digest: build the site, show the newest digest, write a preview .eml.
newsletter: html
	$(BIN)/python -m service.preview --settings "$(CONFFILE)" --output "$(OUTPUTDIR)" --outbox "$(BASEDIR)/var/outbox"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=plugins $(BIN)/lint-imports

# The quick part of the suite: no site builds, no browser (under a minute).
test-quick: $(STAMP)
	$(BIN)/python -m pytest -m "not build and not browser" $(XDIST) $(PYTEST_ARGS)

.PHONY: help venv html clean regenerate serve devserver publish test test-quick lint newsletter bench audit

# WordPress import (wpimport/, imports the core only): make import WXR=pfad/zur/export.xml
# Options for python -m wpimport go into WPIMPORT_ARGS, e.g. WPIMPORT_ARGS="--dry-run".
WPIMPORT_ARGS ?=
import: $(STAMP)
	@test -n "$(WXR)" || { echo 'Aufruf: make import WXR=pfad/zur/export.xml [WPIMPORT_ARGS="--dry-run --include-private --force"]' >&2; exit 2; }
	$(BIN)/python -m wpimport "$(WXR)" $(WPIMPORT_ARGS)

.PHONY: import

# Newsletter delivery (plugins/newsletter/delivery): subscription service, sending, import.
#   make newsletter-server                         the reader service (gunicorn) on NEWSLETTER_SERVER_HOST:PORT
#   make newsletter-outbox                         send the mails due in the service's outbox now
#   make newsletter-send [ISSUE=2026-kw48] [DRY_RUN=1]   send a digest (default: the newest)
#   make newsletter-import CSV=abonnenten.csv      take over already confirmed subscribers
#   make newsletter-cleanup                        delete sign-ups unconfirmed for 30 days
# SETTINGS picks the settings file (e.g. SETTINGS=publishconf.py); the signing key comes
# from the environment variable NEWSLETTER_SECRET.
SETTINGS ?= pelicanconf.py
NEWSLETTER_CMD = $(BIN)/python -m service --settings "$(SETTINGS)"

newsletter-server: $(STAMP)
	$(NEWSLETTER_CMD) serve

newsletter-outbox: $(STAMP)
	$(NEWSLETTER_CMD) outbox

newsletter-send: $(STAMP)
	$(NEWSLETTER_CMD) send $(if $(ISSUE),--issue "$(ISSUE)") $(if $(filter 1 yes true ja,$(DRY_RUN)),--dry-run)

newsletter-import: $(STAMP)
	@test -n "$(CSV)" || { echo 'Aufruf: make newsletter-import CSV=pfad/zur/liste.csv' >&2; exit 2; }
	$(NEWSLETTER_CMD) import-csv "$(CSV)"

newsletter-cleanup: $(STAMP)
	$(NEWSLETTER_CMD) cleanup

.PHONY: newsletter-server newsletter-outbox newsletter-send newsletter-import newsletter-cleanup

# Comments from the form (reader service): moderation from the shell.
#   make comments                 list the comments waiting for approval
#   make comment-approve ID=12    approve (writes content/comments/<slug>/<id>.md, publishes)
#   make comment-spam ID=12 / make comment-delete ID=12
#   make comments-purge           delete notification addresses unused for 30 days
comments: $(STAMP)
	$(NEWSLETTER_CMD) comments

comment-approve comment-spam comment-delete: $(STAMP)
	@test -n "$(ID)" || { echo 'Aufruf: make $@ ID=<Nummer aus make comments>' >&2; exit 2; }
	$(NEWSLETTER_CMD) $@ "$(ID)"

comments-purge: $(STAMP)
	$(NEWSLETTER_CMD) comments-purge

.PHONY: comments comment-approve comment-spam comment-delete comments-purge
