# OneWindow: the two commands a new user runs are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint e2e messages schema bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "Installing dependencies into $(VENV) ..."
	@$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate the embedded SQLite database, load the demo county, serve on :8000
demo: install
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py demo_load
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@exec $(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

## make test: lint, migrations and OpenAPI checks, then the whole pytest suite (unit + browser)
test: install lint
	@$(BIN)/python manage.py makemigrations --check --dry-run -v1 >/dev/null || \
		(echo "Model changes without migrations: run manage.py makemigrations" && exit 1)
	@$(BIN)/python manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.yaml
	@$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	@$(BIN)/ruff check .

e2e: install
	@$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

## make messages: refresh and compile the English translation (locale/en)
messages: install
	@$(BIN)/python manage.py makemessages -l en --no-obsolete -i '.venv/*' -i 'bench/*' -v0
	@$(BIN)/python manage.py compilemessages -l en -i .venv -v0

schema: install
	@$(BIN)/python manage.py spectacular --validate --file openapi.yaml

bench: install
	@$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/onewindow.sqlite3* staticfiles
