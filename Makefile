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

.DEFAULT_GOAL := help

help:
	@echo 'Rundbrief — make targets'
	@echo ''
	@echo '  make html          build the site into output/ (sets up .venv on first use)'
	@echo '  make test          run the test suite (sets up .venv on first use)'
	@echo '  make lint          ruff check and ruff format --check'
	@echo '  make clean         remove output/ and the Pelican cache'
	@echo '  make regenerate    rebuild on every change (no server)'
	@echo '  make serve         serve output/ at http://$(BIND):$(PORT)/'
	@echo '  make devserver     rebuild on change and serve at http://$(BIND):$(PORT)/'
	@echo '  make publish       strict build with publishconf.py (fails on any content warning)'
	@echo '  make newsletter    build, show the newest digest, write a preview .eml to var/outbox/'
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

devserver: $(STAMP)
	$(PELICAN) -lr "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND) $(PELICANOPTS)

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
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Newsletter digest: build the site, show the newest digest, write a preview .eml.
newsletter: html
	PYTHONPATH=plugins $(BIN)/python -m newsletter.preview --output "$(OUTPUTDIR)" --outbox "$(BASEDIR)/var/outbox"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: help venv html clean regenerate serve devserver publish test lint newsletter
