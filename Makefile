# Two commands on a fresh machine: `make demo` (the main job) and `make test`.
# Each creates .venv if missing and installs the package with the extras it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= build

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.stamp-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[viz]'
	touch $@

$(VENV)/.stamp-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,viz,store,web,dask]'
	touch $@ $(VENV)/.stamp-demo

demo: $(VENV)/.stamp-demo
	$(BIN)/detente assess --html $(OUT)/report.html --plots $(OUT)/plots

# every test of a file on one worker, in file order: the browser tests share one page per file
test: $(VENV)/.stamp-dev
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.stamp-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
