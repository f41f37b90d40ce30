PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint venv devvenv clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(BIN)/.installed-dev: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(BIN)/.installed $@

venv: $(BIN)/.installed
devvenv: $(BIN)/.installed-dev

run: venv
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py anbiao_demo --if-empty
	PORT=$(PORT) $(BIN)/python manage.py anbiao_demo --print-logins
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: devvenv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: devvenv lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
